import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineId } from '../app/recorder.js';
import { DEFAULT_NAMESPACE } from '../core/namespace.js';
import { packageRoot } from '../core/package-root.js';
import { SqliteInspector } from '../ledger/engines/sqlite/inspector.js';
import { sessionKey, type Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { writeCorpus } from '../sample/corpus.js';
import { Random } from '../sample/random.js';
import { levels } from '../testing/crossing-levels.js';

/**
 * The crash and concurrency guarantees, tested on the real executable: a sync killed at any point
 * (then run again), or several syncs at once, leave the ledger exactly as one clean sync would.
 * The ledger's own part (a commit killed inside its transaction, writers at once) runs on every
 * engine in src/ledger/conformance/; this one drives the whole sync on SQLite.
 */
const BIN = join(packageRoot(), 'bin', 'tokenledger');
let dir: string;
let env: NodeJS.ProcessEnv;
let clean: Snapshot;
/** Wall time of one clean sync with small transactions: kills are spread over it. */
let syncMs = 0;

interface Snapshot {
  events: unknown[];
  rollup: unknown[];
  sessions: unknown[];
  cursors: unknown[];
}

function run(db: string, extra: NodeJS.ProcessEnv = {}, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--db', db], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** What one sync leaves in a ledger, through the inspector and the ledger's reader. */
async function snapshot(db: string): Promise<Snapshot> {
  // As the syncs' machine (its id kept under their home), whose cursors these are.
  const ledger = await openLedger({ engine: 'sqlite', path: db }, { recorder: { user: 'crash-test', machine: machineId(env, () => {}) } });
  try {
    const namespace = DEFAULT_NAMESPACE;
    return {
      events: await new SqliteInspector(db).events(),
      // Ordered by what they are, not by ids the ledger gave names in the order it met them.
      rollup: (await ledger.usage({ namespace }, ['bucket', 'session', 'project', 'model']))
        .map((r) => [
          r.bucketStart,
          r.agent,
          r.sessionId,
          r.project,
          r.model,
          r.events,
          r.inputTokens,
          r.outputTokens,
          r.reasoningTokens,
          r.cacheWrite5mTokens,
          r.cacheWrite1hTokens,
          r.cacheReadTokens,
          r.costNanos,
          r.unpricedEvents,
        ])
        .sort(),
      sessions: [...(await ledger.sessions({ namespace })).values()].sort((a, b) => sessionKey(a.agent, a.sessionId).localeCompare(sessionKey(b.agent, b.sessionId))),
      cursors: [...(await ledger.cursors()).values()].map((c) => [c.path, c.size, c.offset, c.lineCount]).sort(),
    };
  } finally {
    await ledger.close();
  }
}

const eventCount = (db: string): Promise<number> => new SqliteInspector(db).eventCount();

async function readLedger<T>(db: string, read: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger({ engine: 'sqlite', path: db }, { recorder: { user: 'crash-test', machine: machineId(env, () => {}) } });
  try {
    return await read(ledger);
  } finally {
    await ledger.close();
  }
}

beforeAll(async () => {
  if (!existsSync(join(packageRoot(), 'dist', 'tokenledger.mjs'))) throw new Error('build first: npm run build');
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-crash-'));
  const corpus = writeCorpus(dir, {
    seed: 7,
    endAt: Date.UTC(2025, 9, 20),
    days: 10,
    claudeBytes: 14_000_000,
    codexBytes: 3_000_000,
    geminiSessions: 6,
    claudeSessionBytes: 350_000,
    codexSessionBytes: 300_000,
  });
  env = {
    ...process.env,
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    CLAUDE_CONFIG_DIR: corpus.claudeRoot,
    CODEX_HOME: corpus.codexRoot,
    GEMINI_DATA_DIR: corpus.geminiRoot,
    TOKENLEDGER_SYNC_BATCH: '40',
    TOKENLEDGER_DB: '',
    TOKENLEDGER_CONFIG: '',
  };
  const db = join(dir, 'clean.db');
  const result = await run(db, { TOKENLEDGER_SYNC_BATCH: '100000' });
  expect(result.code, result.stderr).toBe(0);
  clean = await snapshot(db);
  expect(clean.events.length).toBeGreaterThan(500);
  expect(clean.cursors.length).toBeGreaterThan(0);
  const started = performance.now();
  expect((await run(join(dir, 'timing.db'))).code).toBe(0);
  syncMs = performance.now() - started;
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  for (const threads of ['1', '2']) {
    it(`a sync killed at random points, then completed, equals one clean sync (${threads} thread${threads === '1' ? '' : 's'})`, async () => {
      const db = join(dir, `killed-${threads}.db`);
      const random = new Random(threads === '1' ? 11 : 12);
      const seen: number[] = [];
      // Kills land within the time a whole sync takes with this many threads.
      const started = performance.now();
      expect((await run(join(dir, `timing-${threads}.db`), { TOKENLEDGER_SYNC_THREADS: threads })).code).toBe(0);
      const threadSyncMs = Math.max(syncMs, performance.now() - started);
      for (let attempt = 0; attempt < 8; attempt++) {
        const result = await run(db, { TOKENLEDGER_SYNC_THREADS: threads }, Math.round(threadSyncMs * (0.25 + 0.7 * random.next())));
        seen.push(await eventCount(db));
        if (result.signal === null) expect(result.code, result.stderr).toBe(0);
      }
      const final = await run(db, { TOKENLEDGER_SYNC_THREADS: threads });
      expect(final.code, final.stderr).toBe(0);
      // The kills must have landed mid-sync for the test to mean anything.
      expect(
        seen.some((n) => n > 0 && n < clean.events.length),
        `events after each kill: ${seen.join(', ')}`,
      ).toBe(true);
      expect(await snapshot(db)).toEqual(clean);
      expect(await new SqliteInspector(db).sumMismatches()).toEqual([]);
    }, 120_000);
  }
});

describe('interrupt', () => {
  it('Ctrl-C mid-sync says how many files were committed, still ends by SIGINT, and the next sync completes the ledger', async () => {
    const db = join(dir, 'interrupted.db');
    const child = spawn(process.execPath, [BIN, 'sync', '--db', db], { env: { ...env, TOKENLEDGER_SYNC_BATCH: '1', TOKENLEDGER_SYNC_THREADS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Interrupt once some events are committed (one event per transaction: the sync is far from done).
    while ((await eventCount(db)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect([code, signal], stderr).toEqual([null, 'SIGINT']);
    const said = /interrupted: (\d+) files? committed, the rest is read next time\n/.exec(stderr);
    expect(said, stderr).not.toBeNull();
    const finished = await readLedger(db, async (l) => [...(await l.cursors()).values()].filter((c) => c.offset === c.size).length);
    expect(Number(said?.[1])).toBeLessThanOrEqual(finished);
    expect((await snapshot(db)).events.length).toBeLessThan(clean.events.length);
    const final = await run(db);
    expect(final.code, final.stderr).toBe(0);
    expect(await snapshot(db)).toEqual(clean);
  }, 120_000);
});

describe('concurrency', () => {
  it('several syncs at once leave the ledger as one clean sync would', async () => {
    const db = join(dir, 'concurrent.db');
    const results = await Promise.all([run(db), run(db, { TOKENLEDGER_SYNC_THREADS: '2' }), run(db, { TOKENLEDGER_SYNC_BATCH: '7' })]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(await snapshot(db)).toEqual(clean);
  }, 120_000);
});

describe('threads', () => {
  it('a sync in several threads leaves the ledger as one thread does, and announces the crossing of each commit once, at its highest level', async () => {
    const db = join(dir, 'threads.db');
    const budget = spawnSync(process.execPath, [BIN, 'budget', 'set', '$1', '--period', 'all', '--db', db], { env, encoding: 'utf8' });
    expect(budget.status, budget.stderr).toBe(0);
    const result = await run(db, { TOKENLEDGER_SYNC_THREADS: '3', TOKENLEDGER_SYNC_BATCH: '50' });
    expect(result.code, result.stderr).toBe(0);
    expect(await snapshot(db)).toEqual(clean);
    // Every level up to HARD_STOP was crossed by some thread's commit and recorded; each commit's crossing is
    // told once, at the highest level it reached, so no level is told twice and HARD_STOP is told.
    const told = result.stderr
      .split('\n')
      .filter((l) => l.startsWith('budget '))
      .map((l) => l.split(':')[0]);
    expect(new Set(told).size, result.stderr).toBe(told.length);
    expect(told, result.stderr).toContain('budget HARD_STOP');
    expect(levels(await readLedger(db, (l) => l.crossings(DEFAULT_NAMESPACE, 0)))).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
  }, 120_000);
});
