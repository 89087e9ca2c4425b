import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { writeCorpus } from '../sample/corpus.js';
import { Random } from '../sample/random.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';

/**
 * The crash and concurrency guarantees, tested on the real executable: a sync killed at any point
 * (then run again), or several syncs at once, leave the ledger exactly as one clean sync would.
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

function snapshot(db: string): Snapshot {
  const d = new Database(db, { readonly: true });
  try {
    return {
      events: d
        .prepare(
          `SELECT e.dedup_key, e.replay_key, e.sidechain, s.agent, s.session_key, p.path, m.name, e.occurred_at, e.input_tokens, e.output_tokens,
                  e.reasoning_tokens, e.cache_write_5m_tokens, e.cache_write_1h_tokens, e.cache_read_tokens, e.cost_nanos, e.unpriced
           FROM events e JOIN sessions s ON s.id = e.session_id JOIN projects p ON p.id = e.project_id JOIN models m ON m.id = e.model_id
           ORDER BY e.dedup_key`,
        )
        .raw()
        .all(),
      rollup: d
        .prepare(
          `SELECT r.bucket, s.agent, s.session_key, p.path, m.name, r.events, r.unpriced_events, r.input_tokens, r.output_tokens, r.reasoning_tokens,
                  r.cache_write_5m_tokens, r.cache_write_1h_tokens, r.cache_read_tokens, r.cost_nanos
           FROM usage_rollup r JOIN sessions s ON s.id = r.session_id JOIN projects p ON p.id = r.project_id JOIN models m ON m.id = r.model_id
           ORDER BY 1, 2, 3, 4, 5`,
        )
        .raw()
        .all(),
      sessions: d.prepare('SELECT agent, session_key, first_at, last_at FROM sessions WHERE first_at IS NOT NULL ORDER BY 1, 2').raw().all(),
      cursors: d.prepare('SELECT path, size, offset, line_count FROM files ORDER BY path').raw().all(),
    };
  } finally {
    d.close();
  }
}

function eventCount(db: string): number {
  if (!existsSync(db)) return 0;
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events'").pluck().get() as number) === 0
      ? 0
      : (d.prepare('SELECT count(*) FROM events').pluck().get() as number);
  } finally {
    d.close();
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
  clean = snapshot(db);
  expect(clean.events.length).toBeGreaterThan(500);
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
        seen.push(eventCount(db));
        if (result.signal === null) expect(result.code, result.stderr).toBe(0);
      }
      const final = await run(db, { TOKENLEDGER_SYNC_THREADS: threads });
      expect(final.code, final.stderr).toBe(0);
      // The kills must have landed mid-sync for the test to mean anything.
      expect(seen.some((n) => n > 0 && n < clean.events.length), `events after each kill: ${seen.join(', ')}`).toBe(true);
      const got = snapshot(db);
      expect(got).toEqual(clean);
      const check = new FixtureLedger();
      try {
        Object.assign(check, { dbPath: db });
        await check.assertSumsExact();
      } finally {
        check.remove();
      }
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
    while (eventCount(db) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect([code, signal], stderr).toEqual([null, 'SIGINT']);
    const said = /interrupted: (\d+) files? committed, the rest is read next time\n/.exec(stderr);
    expect(said, stderr).not.toBeNull();
    const d = new Database(db, { readonly: true });
    const finished = d.prepare('SELECT count(*) FROM files WHERE offset = size').pluck().get() as number;
    d.close();
    expect(Number(said?.[1])).toBeLessThanOrEqual(finished);
    expect(snapshot(db).events.length).toBeLessThan(clean.events.length);
    const final = await run(db);
    expect(final.code, final.stderr).toBe(0);
    expect(snapshot(db)).toEqual(clean);
  }, 120_000);
});

describe('concurrency', () => {
  it('several syncs at once leave the ledger as one clean sync would', async () => {
    const db = join(dir, 'concurrent.db');
    const results = await Promise.all([run(db), run(db, { TOKENLEDGER_SYNC_THREADS: '2' }), run(db, { TOKENLEDGER_SYNC_BATCH: '7' })]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(snapshot(db)).toEqual(clean);
  }, 120_000);
});

describe('threads', () => {
  it('a sync in several threads leaves the ledger as one thread does, and announces the crossing of each commit once, at its highest level', async () => {
    const db = join(dir, 'threads.db');
    const budget = spawnSync(process.execPath, [BIN, 'budget', 'set', '$1', '--period', 'all', '--db', db], { env, encoding: 'utf8' });
    expect(budget.status, budget.stderr).toBe(0);
    const result = await run(db, { TOKENLEDGER_SYNC_THREADS: '3', TOKENLEDGER_SYNC_BATCH: '50' });
    expect(result.code, result.stderr).toBe(0);
    expect(snapshot(db)).toEqual(clean);
    // Every level up to HARD_STOP was crossed by some thread's commit and recorded; each commit's crossing is
    // told once, at the highest level it reached, so no level is told twice and HARD_STOP is told.
    const told = result.stderr.split('\n').filter((l) => l.startsWith('budget ')).map((l) => l.split(':')[0]);
    expect(new Set(told).size, result.stderr).toBe(told.length);
    expect(told, result.stderr).toContain('budget HARD_STOP');
    const recorded = new Database(db, { readonly: true });
    try {
      expect(recorded.prepare('SELECT level FROM budget_alerts ORDER BY spent_nanos, instr(\'INFO WARNING CRITICAL HARD_STOP\', level)').pluck().all()).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
    } finally {
      recorded.close();
    }
  }, 120_000);
});

