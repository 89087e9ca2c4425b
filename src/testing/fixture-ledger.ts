import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Source } from '../core/source.js';
import { emptyTokens, type PricedEvent, type TokenCounts } from '../core/usage-event.js';
import { PROMPT_CUTS, type CommitCheck, type CommitResult, type Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides, type PriceOverrideConfig } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { sync, type SyncReport } from '../sync/sync.js';

/** A temporary folder holding agent roots and a real SQLite ledger, for tests. */
export class FixtureLedger {
  readonly dir: string;
  readonly dbPath: string;
  readonly env: Record<string, string>;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'tokenledger-test-'));
    this.dbPath = join(this.dir, 'ledger.db');
    this.env = {
      HOME: join(this.dir, 'home'),
      CLAUDE_CONFIG_DIR: join(this.dir, 'claude'),
      CODEX_HOME: join(this.dir, 'codex'),
      GEMINI_DATA_DIR: join(this.dir, 'gemini', 'tmp'),
    };
    // Agent folders named explicitly must exist (a missing one is warned about), even when empty.
    for (const variable of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_DATA_DIR']) mkdirSync(this.env[variable]!, { recursive: true });
  }

  /** Writes `text` at `relative` under the folder (creating parents); returns the full path. */
  write(relative: string, text: string): string {
    const path = join(this.dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  /** Copies a fixture file to `relative` under the folder. */
  copy(fixture: string, relative: string): string {
    const path = join(this.dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(fixture, path);
    return path;
  }

  async sync(sources: readonly Source[], prices: Record<string, PriceOverrideConfig> = {}, batchSize?: number): Promise<SyncReport> {
    const ledger = await openLedger({ engine: 'sqlite', path: this.dbPath });
    try {
      return await sync({ sources, namespace: 'cost-tracking', env: this.env, ledger, pricer: new Pricer(new PriceOverrides(prices)), ...(batchSize === undefined ? {} : { batchSize }) });
    } finally {
      await ledger.close();
    }
  }

  /**
   * Records hand-made events straight through the ledger's writer (as one file `fixture://<name>`
   * would), priced at the `costNanos` given: for tests whose expected figures are worked by hand.
   */
  async record(events: readonly RecordedEvent[], name = 'events', checks: readonly CommitCheck[] = []): Promise<CommitResult> {
    const ledger = await openLedger({ engine: 'sqlite', path: this.dbPath });
    try {
      const priceVersionId = await ledger.priceVersionId('fixture prices');
      const priced: PricedEvent[] = events.map((e, i) => ({
        ...emptyTokens(),
        agent: 'claude-code',
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        sessionId: 'session-1',
        project: '/home/dev/app',
        dedupKey: `${name}:${i}`,
        namespace: 'cost-tracking',
        unpriced: false,
        ...e,
        priceVersionId,
      }));
      const path = `fixture://${name}`;
      const cursor = (await ledger.cursors()).get(path);
      const offset = (cursor?.offset ?? 0) + priced.length;
      const to = { path, agent: 'claude-code', dev: 0, ino: 0, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: String(offset), state: null };
      return await ledger.commit([{ from: cursor, to, events: priced, rateLimits: [], drops: [] }], checks);
    } finally {
      await ledger.close();
    }
  }

  /** Rows of the ledger's events with names resolved, ordered by key. */
  events(): LedgerEventRow[] {
    const db = new Database(this.dbPath, { readonly: true });
    try {
      return db
        .prepare(
          `SELECT e.dedup_key AS dedupKey, s.agent, s.session_key AS sessionId, p.path AS project, m.name AS model, e.occurred_at AS occurredAt,
                  e.input_tokens AS inputTokens, e.output_tokens AS outputTokens, e.reasoning_tokens AS reasoningTokens,
                  e.cache_write_5m_tokens AS cacheWrite5mTokens, e.cache_write_1h_tokens AS cacheWrite1hTokens,
                  e.cache_read_tokens AS cacheReadTokens, e.cost_nanos AS costNanos, e.unpriced, e.sidechain
           FROM events e JOIN sessions s ON s.id = e.session_id JOIN projects p ON p.id = e.project_id JOIN models m ON m.id = e.model_id
           ORDER BY e.dedup_key`,
        )
        .all() as LedgerEventRow[];
    } finally {
      db.close();
    }
  }

  /** Runs a read-only query on the ledger file. */
  query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(this.dbPath, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  /**
   * Fails unless `usage_rollup` equals the events summed by quarter hour, session, project, model
   * and prompt band, and `usage_day` the same by UTC day (written out here once more on purpose, to
   * check the ledger's own).
   */
  assertRollupConsistent(): void {
    const prompt = 'input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens';
    const band = `CASE ${[...PROMPT_CUTS].reverse().map((cut) => `WHEN ${prompt} > ${cut} THEN ${cut}`).join(' ')} ELSE 0 END`;
    const sums = `count(*), sum(unpriced), sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cache_write_5m_tokens),
        sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(cost_nanos)`;
    const columns = `session_id, project_id, model_id, prompt_band, events, unpriced_events, input_tokens, output_tokens, reasoning_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos`;
    for (const [table, time, grainMs] of [['usage_rollup', 'bucket', 900_000], ['usage_day', 'day', 86_400_000]] as const) {
      const agg = `SELECT occurred_at / ${grainMs}, session_id, project_id, model_id, ${band}, ${sums} FROM events GROUP BY 1, 2, 3, 4, 5`;
      const stored = `SELECT ${time}, ${columns} FROM ${table}`;
      const diff = this.query<{ n: number }>(`SELECT (SELECT count(*) FROM (${agg} EXCEPT ${stored})) + (SELECT count(*) FROM (${stored} EXCEPT ${agg})) AS n`);
      if ((diff[0]?.n ?? 0) !== 0) throw new Error(`${table} differs from the events in ${diff[0]?.n} row(s)`);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An event for `record`: when and what it cost, the rest defaulted. */
export type RecordedEvent = Partial<PricedEvent> & { occurredAt: number; costNanos: number };

export interface LedgerEventRow extends TokenCounts {
  dedupKey: string;
  agent: string;
  sessionId: string;
  project: string;
  model: string;
  occurredAt: number;
  costNanos: number;
  unpriced: number;
  sidechain: number;
}

/** Reads a fixture file next to a test (`import.meta.url` of the test, file name). */
export function fixture(testUrl: string, name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, testUrl), 'utf8');
}

/** For each test of a file: a fresh fixture with its ledger open (closed and removed after the test). */
export function fixtureEachTest(): { readonly fixture: FixtureLedger; readonly ledger: Ledger } {
  const current = {} as { fixture: FixtureLedger; ledger: Ledger };
  beforeEach(async () => {
    current.fixture = new FixtureLedger();
    current.ledger = await openLedger({ engine: 'sqlite', path: current.fixture.dbPath });
  });
  afterEach(async () => {
    await current.ledger.close();
    current.fixture.remove();
  });
  return current;
}
