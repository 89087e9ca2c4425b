import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../src/budgets/ladder.js';
import { DEFAULT_NAMESPACE } from '../src/core/namespace.js';
import type { UsageTotals } from '../src/ledger/ledger.js';
import { parseLedgerLocation } from '../src/ledger/location.js';
import { openLedger } from '../src/ledger/open-ledger.js';
import { writeCorpus, type Corpus } from '../src/sample/corpus.js';
import type { BenchContext, BenchRow } from './context.js';
import { removeLedger } from './ledger-files.js';
import { measure, ok, type Measured } from './measure.js';
import type { BenchSchemas } from './pg-server.js';

const MACHINES = 4;
/** Machines that sync straight into the team ledger; the others sync into a file and push it. */
const DIRECT = 2;
/** The share of the budget the four machines spend together: past CRITICAL, short of HARD_STOP. */
const SPENT_SHARE = 0.95;
const LEVEL_AT: Record<string, number> = { INFO: DEFAULT_THRESHOLDS.info, WARNING: DEFAULT_THRESHOLDS.warning, CRITICAL: DEFAULT_THRESHOLDS.critical, HARD_STOP: DEFAULT_THRESHOLDS.hardStop };
const SUMMED = ['events', 'unpricedEvents', 'inputTokens', 'outputTokens', 'reasoningTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'cacheReadTokens', 'costNanos'] as const;

/**
 * Four machines (four processes, each with its own HOME, folders and logs) recording into one
 * PostgreSQL ledger at once, both ways in: two sync straight into it, two sync into a ledger file
 * of their own and push that. A budget is set on the team ledger. The team's totals must equal the
 * sum of each machine's sync alone into an empty ledger, exactly, also after a pusher pushes
 * everything again; each budget level reached must be recorded once. A correctness check, timed.
 */
export async function teamSync(context: BenchContext, schemas: BenchSchemas): Promise<BenchRow[]> {
  const megabytes = Number(process.env.BENCH_TEAM_MB ?? 20);
  const machines = Array.from({ length: MACHINES }, (_, i) => machineEnv(join(context.work, 'postgres', 'team', `${megabytes}mb`, `machine-${i + 1}`), megabytes, i));
  const run = (args: string[], env: NodeJS.ProcessEnv) => measure(process.execPath, [context.bin, ...args], { ...context.env, ...env });
  const sync = (db: string, env: NodeJS.ProcessEnv) => run(['sync', '--json', '--db', db], env);
  const own = (i: number): string => join(machines[i]?.XDG_DATA_HOME as string, 'ledger.db');

  context.log('four machines: each alone, then all at once');
  const expected = zero();
  for (const [i, env] of machines.entries()) {
    const alone = schemas.fresh(`alone${i + 1}`);
    ok(await sync(alone, env), `machine ${i + 1} alone`);
    add(expected, await totals(alone));
    await schemas.drop(alone);
  }

  const team = schemas.fresh('team');
  const amountUsd = (expected.costNanos / SPENT_SHARE / 1e9).toFixed(2);
  ok(await measure(process.execPath, [context.bin, 'budget', 'set', amountUsd, '--period', 'all', '--db', team], { ...context.env, ...machines[0] }), 'budget set');
  // A command that announces a crossing may exit 1 (an alert fired); anything else is a failure.
  const done = (m: Measured, what: string): Measured => {
    if (m.code !== 0 && m.code !== 1) throw new Error(`${what} exited with ${m.code}: ${m.stderr}`);
    return m;
  };
  for (const i of machines.keys()) if (i >= DIRECT) removeLedger(own(i));
  const started = performance.now();
  await Promise.all(
    machines.map(async (env, i) => {
      if (i < DIRECT) return done(await sync(team, env), `machine ${i + 1}: sync`);
      done(await sync(own(i), env), `machine ${i + 1}: sync into its own ledger`);
      return done(await run(['push', team, '--db', own(i), '--json'], env), `machine ${i + 1}: push`);
    }),
  );
  const wallMs = performance.now() - started;
  const before = await totals(team);
  done(await run(['push', team, '--db', own(DIRECT), '--all', '--json'], machines[DIRECT] as NodeJS.ProcessEnv), 'push again');

  const ledger = await openLedger(parseLedgerLocation(team));
  let got: UsageTotals;
  let recorded: Map<string, number>;
  let reached: string[];
  try {
    got = (await ledger.usage({ namespace: DEFAULT_NAMESPACE }, []))[0] ?? zero();
    const budget = (await ledger.budgets(DEFAULT_NAMESPACE))[0];
    if (budget === undefined) throw new Error('the team budget is missing');
    reached = Object.keys(LEVEL_AT).filter((level) => got.costNanos * 100 >= budget.amountNanos * (LEVEL_AT[level] as number));
    recorded = new Map();
    for (const c of await ledger.crossings(DEFAULT_NAMESPACE, 0)) recorded.set(c.level, (recorded.get(c.level) ?? 0) + 1);
  } finally {
    await ledger.close();
  }
  const differing = SUMMED.filter((field) => got[field] !== expected[field] || before[field] !== expected[field]);
  const onceEach = reached.length > 0 && reached.every((level) => recorded.get(level) === 1) && [...recorded.keys()].every((level) => reached.includes(level));
  const pass = differing.length === 0 && onceEach;
  const detail = [
    differing.length === 0
      ? `totals equal, also after a second \`push --all\`: ${got.events} events, ${got.costNanos} nano-USD`
      : `**totals differ in ${differing.map((f) => `${f} (${before[f]}, after pushing again ${got[f]}, vs ${expected[f]})`).join(', ')}**`,
    `levels reached ${reached.join(', ') || 'none'}; recorded ${[...recorded].map(([level, n]) => `${level} ×${n}`).join(', ') || 'none'}`,
  ].join('; ');
  return [
    [
      `four machines at once into one PostgreSQL ledger (${megabytes} MB of logs each; ${DIRECT} sync into it, ${MACHINES - DIRECT} sync their own file and push)`,
      `${wallMs.toFixed(0)} ms`,
      'team totals = Σ syncs alone, each crossing once',
      `${pass ? 'met' : '**not met**'} (${detail})`,
    ],
  ];
}

/** A machine's environment: its own home, folders and agent logs (generated once). */
function machineEnv(dir: string, megabytes: number, index: number): NodeJS.ProcessEnv {
  const done = join(dir, 'corpus.json');
  let corpus: Corpus;
  if (existsSync(done)) corpus = JSON.parse(readFileSync(done, 'utf8')) as Corpus;
  else {
    const total = megabytes * 1_000_000;
    corpus = writeCorpus(join(dir, 'logs'), {
      seed: 7_000 + index,
      endAt: Date.UTC(2025, 10, 20),
      days: 30,
      claudeBytes: Math.round(total * 0.94),
      codexBytes: Math.round(total * 0.06),
      geminiSessions: 2,
      claudeSessionBytes: 800_000,
      codexSessionBytes: 300_000,
    });
    writeFileSync(done, JSON.stringify(corpus));
  }
  return {
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_STATE_HOME: join(dir, 'state'),
    CLAUDE_CONFIG_DIR: corpus.claudeRoot,
    CODEX_HOME: corpus.codexRoot,
    GEMINI_DATA_DIR: corpus.geminiRoot,
  };
}

async function totals(db: string): Promise<UsageTotals> {
  const ledger = await openLedger(parseLedgerLocation(db));
  try {
    return (await ledger.usage({ namespace: DEFAULT_NAMESPACE }, []))[0] ?? zero();
  } finally {
    await ledger.close();
  }
}

function zero(): UsageTotals {
  return { events: 0, unpricedEvents: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, costNanos: 0 };
}

function add(into: UsageTotals, more: UsageTotals): void {
  for (const field of SUMMED) into[field] += more[field];
}
