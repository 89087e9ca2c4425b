import type { ConversationRow, UsageFilter } from '../../ledger.js';
import { BUCKET_MS } from './schema.js';
import { Params, type Queryable } from './sql.js';
import { bucketRange, sumWhere } from './sums.js';

/**
 * The quarter hours of each session with usage; `starts` marks those that begin a conversation: a
 * session's first, and any that comes more than `gap` quarter hours after the one before.
 */
const numbered = (where: string, gap: string): string => `
  active AS (
    SELECT r.session_id, r.bucket FROM usage_rollup r JOIN sessions s ON s.id = r.session_id
    WHERE ${where} GROUP BY r.session_id, r.bucket),
  breaks AS (
    SELECT session_id, bucket,
           CASE WHEN lag(bucket) OVER w IS NULL OR bucket - lag(bucket) OVER w > ${gap} THEN 1 ELSE 0 END AS starts
    FROM active WINDOW w AS (PARTITION BY session_id ORDER BY bucket))`;

export async function conversationCount(db: Queryable, filter: UsageFilter, gapMs: number): Promise<number> {
  const params = new Params();
  const where = [...sumWhere(params, filter), ...bucketRange(params, filter.since, filter.until)];
  const rows = await db.query<{ n: number }>(`WITH ${numbered(where.join(' AND '), params.add(gapQuarters(gapMs)))} SELECT coalesce(sum(starts), 0) AS n FROM breaks`, params.values);
  return rows.rows[0]?.n ?? 0;
}

/** The `limit` most recently started conversations, one row per project and model of each, costliest first. */
export async function recentConversations(db: Queryable, filter: UsageFilter, gapMs: number, limit: number): Promise<ConversationRow[]> {
  const gap = gapQuarters(gapMs);
  const floor = filter.since === undefined ? undefined : Math.floor(filter.since / BUCKET_MS);
  const latest = (await db.query<{ hi: number | null }>('SELECT max(bucket) AS hi FROM usage_rollup')).rows[0]?.hi ?? null;
  if (latest === null) return [];
  // Recent conversations are found in recent quarter hours: look back a week, then further only if
  // that holds fewer than `limit`. One starting at or after `from` is told from one that merely
  // continues by the `gap` quarter hours before `from`.
  let spans: { sessionRowId: number; first: number; last: number }[] = [];
  for (const days of [7, 60, 365, undefined]) {
    const from = Math.max(floor ?? Number.MIN_SAFE_INTEGER, days === undefined ? Number.MIN_SAFE_INTEGER : latest - days * (86_400_000 / BUCKET_MS));
    const params = new Params();
    const where = [...sumWhere(params, filter), ...bucketRange(params, undefined, filter.until), `r.bucket >= ${params.add(from - gap)}`];
    const rows = await db.query<{ sessionRowId: number; first: number; last: number }>(
      `WITH ${numbered(where.join(' AND '), params.add(gap))},
       numbered AS (SELECT session_id, bucket, sum(starts) OVER (PARTITION BY session_id ORDER BY bucket) AS n FROM breaks)
       SELECT session_id AS "sessionRowId", min(bucket) AS first, max(bucket) AS last FROM numbered
       GROUP BY session_id, n HAVING min(bucket) >= ${params.add(from)} ORDER BY first DESC, session_id LIMIT ${params.add(limit)}`,
      params.values,
    );
    spans = rows.rows;
    if (spans.length >= limit || days === undefined || (floor !== undefined && from === floor)) break;
  }
  const out: ConversationRow[] = [];
  for (const span of spans) {
    const rows = await db.query<Omit<ConversationRow, 'startedAt' | 'endedAt'>>(
      `SELECT s.agent, s.session_key AS "sessionId", p.path AS project, m.name AS model, m.provider,
              sum(r.events) AS events, sum(r.unpriced_events) AS "unpricedEvents", sum(r.input_tokens) AS "inputTokens",
              sum(r.output_tokens) AS "outputTokens", sum(r.reasoning_tokens) AS "reasoningTokens",
              sum(r.cache_write_5m_tokens) AS "cacheWrite5mTokens", sum(r.cache_write_1h_tokens) AS "cacheWrite1hTokens",
              sum(r.cache_read_tokens) AS "cacheReadTokens", sum(r.cost_nanos) AS "costNanos"
       FROM usage_rollup r JOIN sessions s ON s.id = r.session_id JOIN projects p ON p.id = r.project_id JOIN models m ON m.id = r.model_id
       WHERE r.bucket BETWEEN $1 AND $2 AND r.session_id = $3
       GROUP BY s.agent, s.session_key, p.id, m.id ORDER BY "costNanos" DESC, m.name COLLATE "C"`,
      [span.first, span.last, span.sessionRowId],
    );
    for (const row of rows.rows) out.push({ ...row, startedAt: span.first * BUCKET_MS, endedAt: (span.last + 1) * BUCKET_MS });
  }
  return out;
}

function gapQuarters(gapMs: number): number {
  return Math.max(1, Math.round(gapMs / BUCKET_MS));
}
