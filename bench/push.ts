import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyChanges } from '../src/ledger/copy-changes.js';
import type { Ledger } from '../src/ledger/ledger.js';
import type { LedgerLocation } from '../src/ledger/location.js';
import { openLedger } from '../src/ledger/open-ledger.js';
import { bigLedger } from './big-ledger.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { removeLedger } from './ledger-files.js';

const EVENTS = 1_000_000;
const TARGET_PER_S = 100_000;
/** The local test server, unless BENCH_PG_URL names another. */
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * `push` of the 1,000,000-event ledger (the one the main run reports over) into an empty ledger:
 * a fresh SQLite file, and a fresh schema on PostgreSQL when the server answers. In process:
 * the copy (pages of `changes()` committed through the target's commit), without process start.
 */
export const benchPush: BenchPart = {
  name: 'push',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const sourcePath = await bigLedger(join(ctx.work, `ledger-1m-v2-${new Date(today).toISOString().slice(0, 10)}.db`), EVENTS, today);
    const dir = join(ctx.work, 'push');
    mkdirSync(dir, { recursive: true });
    const source = await openLedger({ engine: 'sqlite', path: sourcePath });
    const rows: BenchRow[] = [];
    try {
      const file = join(dir, 'team.db');
      removeLedger(file);
      rows.push(await timedPush(ctx, source, { engine: 'sqlite', path: file }, 'SQLite file'));
      removeLedger(file);
      const schema = `bench_push_${process.pid}`;
      try {
        rows.push(await timedPush(ctx, source, { engine: 'postgres', url: PG_URL, schema }, 'PostgreSQL'));
      } catch (error) {
        rows.push(['push of 1,000,000 events into PostgreSQL', 'not run', `≥ ${TARGET_PER_S.toLocaleString('en')} events/s`, `no server: ${(error as Error).message}`]);
      } finally {
        await dropSchema(schema).catch(() => undefined);
      }
    } finally {
      await source.close();
    }
    return rows;
  },
};

async function timedPush(ctx: BenchContext, source: Ledger, location: LedgerLocation, name: string): Promise<BenchRow> {
  const target = await openLedger(location);
  try {
    const started = performance.now();
    const result = await copyChanges({ source, target, after: 0, kind: 'push' });
    const seconds = (performance.now() - started) / 1000;
    if (result.inserted !== EVENTS) throw new Error(`push into ${name} inserted ${result.inserted} of ${EVENTS} events`);
    const perS = Math.round(result.sent / seconds);
    ctx.log(`push into ${name}: ${result.sent} events in ${seconds.toFixed(2)} s`);
    return [
      `push of 1,000,000 events into an empty ${name} (in process)`,
      `${perS.toLocaleString('en')} events/s (${seconds.toFixed(1)} s)`,
      `≥ ${TARGET_PER_S.toLocaleString('en')} events/s`,
      perS >= TARGET_PER_S ? 'met' : '**not met**',
    ];
  } finally {
    await target.close();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
