import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/core/package-root.js';
import { DEFAULT_THRESHOLDS } from '../../src/budgets/ladder.js';
import type { GatewayLedgerHandle } from '../../src/gateway/ledger-writes.js';
import { openWrites } from '../../src/gateway/open-writes.js';
import type { LadderSettings } from '../../src/gateway/writer-protocol.js';
import { type LedgerLocation, parseLedgerLocation } from '../../src/ledger/location.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import { LOCAL_RECORDER } from '../../src/ledger/recorder.js';
import type { BenchContext } from '../context.js';
import { removeLedger } from '../ledger-files.js';
import { BenchSchemas, benchPgUrl, serverName, unreachable } from '../pg-server.js';
import { admissionRates, benchKeys } from './admissions.js';
import type { GatewayRow } from './rows.js';

const SPREADS = [
  { label: 'one key', keys: 1 },
  { label: '1,000 keys', keys: 1_000 },
] as const;

/** The budget ladder the gateway's commits check, with the default thresholds. */
const LADDER: LadderSettings = { timeZone: 'UTC', startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS };

const rate = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')}/s`;

/**
 * Admissions per second in process, as the gateway makes them: on SQLite through its writer
 * thread (the path the gateway takes for a SQLite file), on PostgreSQL on the engine itself; one
 * key, and spread over 1,000 keys, each key with a monthly budget. Then the settlement of every
 * admitted request, committed with its event in groups.
 */
export async function admissionRows(context: BenchContext, dir: string, count: number): Promise<GatewayRow[]> {
  const rows: GatewayRow[] = [];
  const file = join(dir, 'admissions.db');
  const writer = pathToFileURL(join(packageRoot(), 'dist', 'gateway-writer.mjs'));
  removeLedger(file);
  rows.push(...(await engineRows(context, 'SQLite (writer thread)', { engine: 'sqlite', path: file }, writer, count)));
  removeLedger(file);
  const url = benchPgUrl();
  const trouble = await unreachable(url);
  if (trouble !== undefined) return [...rows, ['admissions, PostgreSQL', `not run: no server at ${serverName(url)}: ${trouble}`, '', '', '', '']];
  const schemas = new BenchSchemas(url);
  try {
    const db = schemas.fresh('admit');
    rows.push(...(await engineRows(context, 'PostgreSQL', parseLedgerLocation(db), writer, count)));
  } finally {
    await schemas.dropAll();
  }
  return rows;
}

/** Through the gateway's own writes for `location`: a writer thread for a SQLite file, the engine itself for PostgreSQL. */
async function engineRows(context: BenchContext, engine: string, location: LedgerLocation, writer: URL, count: number): Promise<GatewayRow[]> {
  const ledger = (await openLedger(location, { recorder: LOCAL_RECORDER })) as GatewayLedgerHandle;
  const rows: GatewayRow[] = [];
  try {
    const priceVersionId = await ledger.priceVersionId('bench prices');
    const writes = await openWrites(location, ledger, LOCAL_RECORDER, LADDER, writer);
    try {
      for (const spread of SPREADS) {
        context.log(`gateway: ${count} admissions on ${spread.label}, ${engine}`);
        const keys = await benchKeys(ledger, spread.keys, `${spread.keys}`);
        await admissionRates(writes, keys, Math.min(count, 500), priceVersionId); // warm-up
        const rates = await admissionRates(writes, keys, count, priceVersionId);
        rows.push([`admissions per second, ${spread.label}, ${engine}`, rate(rates.admitsPerSecond), '', '', '', `64 in flight; settled with their events: ${rate(rates.settlesPerSecond)}`]);
      }
    } finally {
      await writes.close();
    }
  } finally {
    await ledger.close();
  }
  return rows;
}
