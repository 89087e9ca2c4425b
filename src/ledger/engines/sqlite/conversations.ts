import type { ConversationRow, UsageFilter } from '../../ledger.js';
import { BUCKET_MS } from './migrations.js';
import type { Db } from './open.js';
import { rollupWhere } from './rollup-filter.js';

/**
 * The quarter hours of each session with usage; `starts` marks those that begin a conversation: a
 * session's first, and any that comes more than `gap` quarter hours after the one before (so at
 * least `gap` quarter hours passed without a request).
 */
const numbered = (where: string): string => `
  active AS (
    SELECT r.session_id, r.bucket FROM usage_rollup r JOIN sessions s ON s.id = r.session_id
    WHERE ${where} GROUP BY r.session_id, r.bucket),
  breaks AS (
    SELECT session_id, bucket,
           CASE WHEN coalesce(bucket - lag(bucket) OVER (PARTITION BY session_id ORDER BY bucket) > ?, 1) THEN 1 ELSE 0 END AS starts
    FROM active)`;

/** Conversations: stretches of a session's activity without a pause of `gapMs` or more. */
export class SqliteConversations {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  count(filter: UsageFilter, gapMs: number): number {
    const { where, params } = rollupWhere(filter);
    return this.#db
      .prepare(`WITH ${numbered(where.join(' AND '))} SELECT coalesce(sum(starts), 0) FROM breaks`)
      .pluck()
      .get(...params, gapQuarters(gapMs)) as number;
  }

  /** The `limit` most recently started conversations, one row per project and model of each, costliest first. */
  recent(filter: UsageFilter, gapMs: number, limit: number): ConversationRow[] {
    const gap = gapQuarters(gapMs);
    const { where, params } = rollupWhere({ ...filter, since: undefined });
    const floor = filter.since === undefined ? undefined : Math.floor(filter.since / BUCKET_MS);
    const spansFrom = this.#db.prepare(
      `WITH ${numbered([...where, 'r.bucket >= ?'].join(' AND '))},
       numbered AS (SELECT session_id, bucket, sum(starts) OVER (PARTITION BY session_id ORDER BY bucket) AS n FROM breaks)
       SELECT session_id AS sessionRowId, min(bucket) AS first, max(bucket) AS last FROM numbered
       GROUP BY session_id, n HAVING min(bucket) >= ? ORDER BY first DESC, session_id LIMIT ?`,
    );
    // Recent conversations are found in recent quarter hours: look back a week, then further only
    // if that holds fewer than `limit`. A conversation starting at or after `from` is told from one
    // that merely continues by the `gap` quarter hours before `from`.
    const latest = this.#db.prepare('SELECT max(bucket) FROM usage_rollup').pluck().get() as number | null;
    if (latest === null) return [];
    let spans: { sessionRowId: number; first: number; last: number }[] = [];
    for (const days of [7, 60, 365, undefined]) {
      const from = Math.max(floor ?? Number.MIN_SAFE_INTEGER, days === undefined ? Number.MIN_SAFE_INTEGER : latest - days * (86_400_000 / BUCKET_MS));
      spans = spansFrom.all(...params, from - gap, gap, from, limit) as typeof spans;
      if (spans.length >= limit || days === undefined || (floor !== undefined && from === floor)) break;
    }
    if (spans.length === 0) return [];
    const sums = this.#db.prepare(
      `SELECT s.agent, s.session_key AS sessionId, p.path AS project, m.name AS model, m.provider,
              sum(r.events) AS events, sum(r.unpriced_events) AS unpricedEvents, sum(r.input_tokens) AS inputTokens,
              sum(r.output_tokens) AS outputTokens, sum(r.reasoning_tokens) AS reasoningTokens,
              sum(r.cache_write_5m_tokens) AS cacheWrite5mTokens, sum(r.cache_write_1h_tokens) AS cacheWrite1hTokens,
              sum(r.cache_read_tokens) AS cacheReadTokens, sum(r.cost_nanos) AS costNanos
       FROM usage_rollup r JOIN sessions s ON s.id = r.session_id JOIN projects p ON p.id = r.project_id JOIN models m ON m.id = r.model_id
       WHERE r.bucket BETWEEN ? AND ? AND r.session_id = ?
       GROUP BY r.project_id, r.model_id ORDER BY costNanos DESC, model`,
    );
    return spans.flatMap((span) =>
      (sums.all(span.first, span.last, span.sessionRowId) as Omit<ConversationRow, 'startedAt' | 'endedAt'>[]).map((row) => ({
        ...row,
        startedAt: span.first * BUCKET_MS,
        endedAt: (span.last + 1) * BUCKET_MS,
      })),
    );
  }
}

function gapQuarters(gapMs: number): number {
  return Math.max(1, Math.round(gapMs / BUCKET_MS));
}
