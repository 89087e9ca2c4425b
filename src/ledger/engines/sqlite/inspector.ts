import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { RateLimitSnapshot, RateLimitWindow } from '../../../core/usage-event.js';
import { type InspectedEvent, type LedgerInspector, ORPHANS } from '../../conformance/inspector.js';
import { PROMPT_CUTS } from '../../ledger.js';

const EVENTS = `
  SELECT e.dedup_key AS dedupKey, s.namespace, s.agent, s.session_key AS sessionId, p.path AS project, m.name AS model,
         e.occurred_at AS occurredAt, e.input_tokens AS inputTokens, e.output_tokens AS outputTokens,
         e.reasoning_tokens AS reasoningTokens, e.cache_write_5m_tokens AS cacheWrite5mTokens,
         e.cache_write_1h_tokens AS cacheWrite1hTokens, e.cache_read_tokens AS cacheReadTokens,
         e.cost_nanos AS costNanos, e.unpriced, e.sidechain, e.service_tier AS serviceTier
  FROM events e JOIN sessions s ON s.id = e.session_id JOIN projects p ON p.id = e.project_id JOIN models m ON m.id = e.model_id
  ORDER BY e.dedup_key`;

type EventRow = Omit<InspectedEvent, 'unpriced' | 'sidechain' | 'serviceTier'> & { unpriced: number; sidechain: number; serviceTier: string | null };

/** Looks inside a SQLite ledger file (read-only; a file not yet created holds nothing). */
export class SqliteInspector implements LedgerInspector {
  constructor(private readonly path: string) {}

  async events(): Promise<InspectedEvent[]> {
    return this.read(
      (db) =>
        (db.prepare(EVENTS).all() as EventRow[]).map(({ unpriced, sidechain, serviceTier, ...e }) => ({
          ...e,
          unpriced: unpriced === 1,
          sidechain: sidechain === 1,
          ...(serviceTier === null ? {} : { serviceTier }),
        })),
      [],
    );
  }

  async eventCount(): Promise<number> {
    return this.read((db) => db.prepare('SELECT count(*) FROM events').pluck().get() as number, 0);
  }

  async sumMismatches(): Promise<string[]> {
    // The sums written out once more on purpose, to check the engine's own.
    const prompt = 'input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens';
    const band = `CASE ${[...PROMPT_CUTS]
      .reverse()
      .map((cut) => `WHEN ${prompt} > ${cut} THEN ${cut}`)
      .join(' ')} ELSE 0 END`;
    const sums = `count(*), sum(unpriced), sum(input_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cache_write_5m_tokens),
        sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(cost_nanos)`;
    const columns = `session_id, project_id, model_id, prompt_band, events, unpriced_events, input_tokens, output_tokens, reasoning_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos`;
    return this.read((db) => {
      const out: string[] = [];
      for (const [table, time, grainMs] of [
        ['usage_rollup', 'bucket', 900_000],
        ['usage_day', 'day', 86_400_000],
      ] as const) {
        const agg = `SELECT occurred_at / ${grainMs}, session_id, project_id, model_id, ${band}, ${sums} FROM events GROUP BY 1, 2, 3, 4, 5`;
        const stored = `SELECT ${time}, ${columns} FROM ${table}`;
        const n = db.prepare(`SELECT (SELECT count(*) FROM (${agg} EXCEPT ${stored})) + (SELECT count(*) FROM (${stored} EXCEPT ${agg}))`).pluck().get() as number;
        if (n !== 0) out.push(`${table} differs from the events in ${n} row(s)`);
      }
      return out;
    }, []);
  }

  async orphans(): Promise<string[]> {
    return this.read((db) => (db.prepare(ORPHANS).all() as { what: string; n: number }[]).filter((r) => r.n > 0).map((r) => `${r.n} ${r.what}`), []);
  }

  async rateLimits(): Promise<RateLimitSnapshot[]> {
    type Row = { agent: string; sessionId: string; occurredAt: number; windows: string; planType: string | null; limitId: string | null };
    const sql = 'SELECT agent, session_key AS sessionId, occurred_at AS occurredAt, windows, plan_type AS planType, limit_id AS limitId FROM rate_limits ORDER BY occurred_at, agent, session_key';
    return this.read((db) => (db.prepare(sql).all() as Row[]).map(readingOf), []);
  }

  async priceVersions(): Promise<string[]> {
    return this.read((db) => db.prepare('SELECT label FROM price_versions ORDER BY label').pluck().all() as string[], []);
  }

  async close(): Promise<void> {}

  /** `work` on the file opened read-only, or `empty` when there is no ledger there yet. */
  private read<T>(work: (db: Database.Database) => T, empty: T): T {
    if (!existsSync(this.path)) return empty;
    const db = new Database(this.path, { readonly: true });
    try {
      if (db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events'").pluck().get() === 0) return empty;
      return work(db);
    } finally {
      db.close();
    }
  }
}

/** A stored reading as the reader gives it (absent fields absent, windows parsed). */
export function readingOf(r: { agent: string; sessionId: string; occurredAt: number; windows: string; planType: string | null; limitId: string | null }): RateLimitSnapshot {
  return {
    agent: r.agent,
    sessionId: r.sessionId,
    occurredAt: r.occurredAt,
    windows: JSON.parse(r.windows) as RateLimitWindow[],
    ...(r.planType === null ? {} : { planType: r.planType }),
    ...(r.limitId === null ? {} : { limitId: r.limitId }),
  };
}
