import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../src/ledger/open-ledger.js';
import { parseLedgerLocation } from '../src/ledger/location.js';
import { analysisCommands } from './analyses.js';
import { bigLedger, fillBigLedger } from './big-ledger.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { benchCorpus } from './corpus.js';
import { removeLedger } from './ledger-files.js';
import { measure, median, ok, type Measured } from './measure.js';
import { BenchSchemas, benchPgUrl, serverName, unreachable } from './pg-server.js';
import { teamSync } from './team-sync.js';

const ms = (v: number): string => `${v.toFixed(0)} ms`;
const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');

/**
 * `postgres`: the team ledger's figures, beside SQLite in the same run, when a PostgreSQL server is
 * reachable (`BENCH_PG_URL`, else the local one); every ledger is a fresh schema, dropped after.
 * Cold sync of the corpus into each engine; `daily` and every analysis command over a ledger of
 * `BENCH_PG_EVENTS` (default 1,000,000) events in PostgreSQL; four machines syncing at once.
 */
export const benchPostgres: BenchPart = {
  name: 'postgres',
  async run(context) {
    const url = benchPgUrl();
    const trouble = await unreachable(url);
    if (trouble !== undefined) return [['PostgreSQL', 'not run', '', `no server at ${serverName(url)}: ${trouble}`]];
    const schemas = new BenchSchemas(url);
    try {
      return [...(await coldSyncs(context, schemas)), ...(await bigLedgerReports(context, schemas)), ...(await teamSync(context, schemas))];
    } finally {
      await schemas.dropAll();
    }
  },
};

function tokenledger(context: BenchContext, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Measured> {
  return measure(process.execPath, [context.bin, ...args], { ...context.env, ...extra });
}

/** Cold `sync` of the bench corpus into an empty SQLite file and an empty PostgreSQL schema, in turns. */
async function coldSyncs(context: BenchContext, schemas: BenchSchemas): Promise<BenchRow[]> {
  const megabytes = Number(process.env.BENCH_MB ?? 500);
  const corpus = benchCorpus(context.work, megabytes);
  const roots = { CLAUDE_CONFIG_DIR: corpus.claudeRoot, CODEX_HOME: corpus.codexRoot, GEMINI_DATA_DIR: corpus.geminiRoot };
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const file = join(context.work, 'postgres', 'cold.db');
  mkdirSync(join(context.work, 'postgres'), { recursive: true });
  const sqlite: number[] = [];
  const postgres: number[] = [];
  const inserted = new Set<number>();
  for (let i = 0; i < runs; i++) {
    context.log(`cold sync ${i + 1}/${runs}: SQLite, then PostgreSQL`);
    removeLedger(file);
    const s = ok(await tokenledger(context, ['sync', '--json', '--db', file], roots), 'sync into SQLite');
    sqlite.push(s.wallMs);
    const db = schemas.fresh('cold');
    const p = ok(await tokenledger(context, ['sync', '--json', '--db', db], roots), 'sync into PostgreSQL');
    postgres.push(p.wallMs);
    await schemas.drop(db);
    for (const m of [s, p]) inserted.add((JSON.parse(m.stdout) as { inserted: number }).inserted);
  }
  removeLedger(file);
  const [sqliteMs, postgresMs] = [median(sqlite), median(postgres)];
  const ratio = postgresMs / sqliteMs;
  const same = inserted.size === 1 ? `, both ${[...inserted][0]} events` : `, **events differ: ${[...inserted].join(' vs ')}**`;
  return [
    [`cold \`sync\` of the ${megabytes} MB corpus, SQLite`, ms(sqliteMs), '', `median of ${runs}`],
    [`cold \`sync\` of the ${megabytes} MB corpus, PostgreSQL`, ms(postgresMs), '≤ 1.5 × SQLite', `${mark(ratio <= 1.5)} (${ratio.toFixed(2)} × SQLite${same})`],
  ];
}

/**
 * A ledger of a million events committed straight through the PostgreSQL engine (the events of
 * the SQLite big ledger), then `daily` and every analysis command over it, as a user runs them,
 * each beside the same command over the SQLite big ledger (runs in turns, so both see the same
 * machine).
 */
async function bigLedgerReports(context: BenchContext, schemas: BenchSchemas): Promise<BenchRow[]> {
  const count = Number(process.env.BENCH_PG_EVENTS ?? 1_000_000);
  const label = `${count.toLocaleString('en-US')} events`;
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const name = count === 1_000_000 ? 'ledger-1m-v2' : `ledger-${count}-v2`;
  const file = await bigLedger(join(context.work, `${name}-${new Date(today).toISOString().slice(0, 10)}.db`), count, today);
  const db = schemas.fresh('big');
  context.log(`PostgreSQL ledger of ${label}`);
  const started = performance.now();
  const ledger = await openLedger(parseLedgerLocation(db));
  try {
    await fillBigLedger(ledger, count, today);
  } finally {
    await ledger.close();
  }
  const buildMs = performance.now() - started;
  const none = join(context.work, 'none');
  const noRoots = { CLAUDE_CONFIG_DIR: none, CODEX_HOME: none, GEMINI_DATA_DIR: none, EXPORT_QUIET: '1' };
  const rows: BenchRow[] = [
    [`${label} committed into PostgreSQL (through the engine, 20,000 per commit)`, ms(buildMs), '', `${Math.round(count / (buildMs / 1000)).toLocaleString('en-US')} events/s`],
  ];
  const timed = async (name: string, args: string[], runs: number, check: (m: Measured) => void = (m) => void ok(m, name)): Promise<void> => {
    const postgres: number[] = [];
    const sqlite: number[] = [];
    for (let i = 0; i < runs; i++) {
      const m = await tokenledger(context, [...args, '--db', db], noRoots);
      check(m);
      postgres.push(m.wallMs);
      const beside = await tokenledger(context, [...args, '--db', file], noRoots);
      // Exit 1 is an alert that fired: the command did its work.
      if (beside.code !== 0 && beside.code !== 1) throw new Error(`${name} (SQLite) exited with ${beside.code}: ${beside.stderr}`);
      sqlite.push(beside.wallMs);
    }
    const wall = median(postgres);
    rows.push([`\`${name}\` over ${label}, PostgreSQL`, ms(wall), '≤ 300 ms', `${mark(wall <= 300)} (SQLite ${ms(median(sqlite))})`]);
  };
  await timed('daily --no-sync', ['daily', '--json', '--no-sync'], 10);
  await timed('daily', ['daily', '--json'], 10);
  for (const ledgerAt of [db, file]) ok(await tokenledger(context, ['budget', 'set', '20000', '--period', 'month', '--db', ledgerAt], noRoots), 'budget set');
  const snapshot = join(context.work, 'postgres', 'summary.json');
  for (const [name, args] of analysisCommands(join(context.work, 'postgres'))) {
    await timed(name, args, 5, (m) => {
      // Exit 1 is an alert that fired: the command did its work.
      if (m.code !== 0 && m.code !== 1) throw new Error(`${name} exited with ${m.code}: ${m.stderr}`);
      if (name === 'summary') writeFileSync(snapshot, m.stdout);
    });
  }
  await schemas.drop(db);
  const diffs: number[] = [];
  for (let i = 0; i < 5; i++) diffs.push(ok(await tokenledger(context, ['diff', '--baseline', snapshot, '--current', snapshot, '--json']), 'diff').wallMs);
  rows.push([`\`diff\` of two summary snapshots of the PostgreSQL ledger`, ms(median(diffs)), '≤ 300 ms', mark(median(diffs) <= 300)]);
  return rows;
}
