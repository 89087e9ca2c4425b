import type { EventRow, RollupRow, UsageDimension, UsageFilter, UsageRow } from '../../ledger.js';
import { BUCKET_MS } from './schema.js';
import { Params, type Queryable } from './sql.js';
import { sumSource, sumWhere } from './sums.js';

/** Per dimension: the columns it selects (as row fields), what it groups by, and the table it joins. */
const DIMENSIONS: Record<UsageDimension, { select: [string, string][]; group: string; join?: string }> = {
  session: {
    select: [
      ['s.agent', 'agent'],
      ['s.session_key', 'sessionId'],
    ],
    group: 'r.session_id, s.agent, s.session_key',
  },
  project: { select: [['p.path', 'project']], group: 'p.id', join: 'JOIN projects p ON p.id = r.project_id' },
  model: {
    select: [
      ['m.name', 'model'],
      ['m.provider', 'provider'],
    ],
    group: 'm.id',
    join: 'JOIN models m ON m.id = r.model_id',
  },
  promptBand: { select: [['r.prompt_band', 'promptAbove']], group: 'r.prompt_band' },
  bucket: { select: [[`r.bucket * ${BUCKET_MS}`, 'bucketStart']], group: 'r.bucket' },
  user: { select: [['u.user_name', 'user']], group: 'u.user_name', join: 'JOIN recorders u ON u.id = s.recorder_id' },
};

export const TOTALS: [string, string][] = [
  ['events', 'events'],
  ['unpriced_events', 'unpricedEvents'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['cache_write_5m_tokens', 'cacheWrite5mTokens'],
  ['cache_write_1h_tokens', 'cacheWrite1hTokens'],
  ['cache_read_tokens', 'cacheReadTokens'],
  ['cost_nanos', 'costNanos'],
];

/** `sum(r.x) AS "field"` for every total. */
export const SUM_TOTALS = TOTALS.map(([column, field]) => `sum(r.${column}) AS "${field}"`).join(', ');

export async function usage(db: Queryable, filter: UsageFilter, by: readonly UsageDimension[]): Promise<UsageRow[]> {
  const dims = [...new Set(by)].map((d) => DIMENSIONS[d]);
  const params = new Params();
  const source = sumSource(params, filter.since, filter.until, by.includes('bucket'));
  const where = sumWhere(params, filter);
  const joins = new Set(dims.flatMap((d) => (d.join === undefined ? [] : [d.join])));
  const select = [...dims.flatMap((d) => d.select.map(([sql, field]) => `${sql} AS "${field}"`)), SUM_TOTALS];
  const rows = await db.query<UsageRow>(
    `SELECT ${select.join(', ')}
     FROM ${source} JOIN sessions s ON s.id = r.session_id ${[...joins].join(' ')}
     WHERE ${where.join(' AND ')}
     ${dims.length > 0 ? `GROUP BY ${dims.map((d) => d.group).join(', ')}` : ''}`,
    params.values,
  );
  // Without a grouping, an empty range still yields one row of NULL sums.
  return dims.length === 0 && rows.rows[0]?.events === null ? [] : rows.rows;
}

/** Quarter-hour rows summed per session, project and model within the filter. */
export async function sessionUsage(db: Queryable, filter: UsageFilter): Promise<RollupRow[]> {
  const params = new Params();
  const source = sumSource(params, filter.since, filter.until, true);
  const where = sumWhere(params, filter);
  // Summed by ids first, named after (the names are joined to the result rows only).
  const rows = await db.query<RollupRow>(
    `SELECT g."bucketStart", s.agent, s.session_key AS "sessionId", p.path AS project, m.name AS model, u.user_name AS user, ${TOTALS.map(([, field]) => `g."${field}"`).join(', ')}
     FROM (SELECT min(r.bucket) * ${BUCKET_MS} AS "bucketStart", r.session_id, r.project_id, r.model_id, ${SUM_TOTALS}
           FROM ${source} JOIN sessions s ON s.id = r.session_id
           WHERE ${where.join(' AND ')}
           GROUP BY r.session_id, r.project_id, r.model_id) g
     JOIN sessions s ON s.id = g.session_id JOIN recorders u ON u.id = s.recorder_id JOIN projects p ON p.id = g.project_id JOIN models m ON m.id = g.model_id`,
    params.values,
  );
  return rows.rows;
}

export async function sessionEvents(db: Queryable, namespace: string, agent: string, sessionId: string, since: number | undefined): Promise<EventRow[]> {
  const rows = await db.query<Omit<EventRow, 'serviceTier'> & { serviceTier: string | null }>(
    `SELECT e.occurred_at AS "occurredAt", p.path AS project, m.name AS model, m.provider AS provider,
            e.input_tokens AS "inputTokens", e.output_tokens AS "outputTokens", e.reasoning_tokens AS "reasoningTokens",
            e.cache_write_5m_tokens AS "cacheWrite5mTokens", e.cache_write_1h_tokens AS "cacheWrite1hTokens",
            e.cache_read_tokens AS "cacheReadTokens", e.cost_nanos AS "costNanos", e.unpriced, e.sidechain, e.service_tier AS "serviceTier"
     FROM sessions s JOIN events e ON e.session_id = s.id JOIN models m ON m.id = e.model_id JOIN projects p ON p.id = e.project_id
     WHERE s.namespace = $1 AND s.agent = $2 AND s.session_key = $3 AND e.occurred_at >= $4
     ORDER BY e.cost_nanos DESC, e.occurred_at`,
    [namespace, agent, sessionId, since ?? Number.MIN_SAFE_INTEGER],
  );
  return rows.rows.map(({ serviceTier, ...r }) => ({ ...r, ...(serviceTier === null ? {} : { serviceTier }) }));
}
