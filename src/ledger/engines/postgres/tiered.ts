import type { ServiceTierUse, TieredEventRow, UsageFilter } from '../../ledger.js';
import { addAny, Params, type Queryable } from './sql.js';

/** The requests served at a service tier other than standard, oldest first (the partial index finds them). */
export async function tieredEvents(db: Queryable, filter: UsageFilter): Promise<TieredEventRow[]> {
  const params = new Params();
  const where = ['e.service_tier IS NOT NULL', `s.namespace = ${params.add(filter.namespace)}`];
  if (filter.since !== undefined) where.push(`e.occurred_at >= ${params.add(filter.since)}`);
  if (filter.until !== undefined) where.push(`e.occurred_at < ${params.add(filter.until)}`);
  addAny(where, params, 's.agent', filter.agents);
  addAny(where, params, 'p.path', filter.projects);
  addAny(where, params, 'm.provider', filter.providers);
  const recorder: string[] = [];
  addAny(recorder, params, 'user_name', filter.users);
  addAny(recorder, params, 'machine', filter.machines);
  if (recorder.length > 0) where.push(`s.recorder_id IN (SELECT id FROM recorders WHERE ${recorder.join(' AND ')})`);
  const rows = await db.query<TieredEventRow>(
    `SELECT e.occurred_at AS "occurredAt", s.agent, s.session_key AS "sessionId", m.name AS model, m.provider,
            e.service_tier AS "serviceTier", e.input_tokens AS "inputTokens", e.output_tokens AS "outputTokens",
            e.reasoning_tokens AS "reasoningTokens", e.cache_write_5m_tokens AS "cacheWrite5mTokens",
            e.cache_write_1h_tokens AS "cacheWrite1hTokens", e.cache_read_tokens AS "cacheReadTokens",
            e.cost_nanos AS "costNanos", e.unpriced
     FROM events e JOIN sessions s ON s.id = e.session_id JOIN models m ON m.id = e.model_id JOIN projects p ON p.id = e.project_id
     WHERE ${where.join(' AND ')}
     ORDER BY e.occurred_at, e.id`,
    params.values,
  );
  return rows.rows;
}

/** Each model and service tier in use (standard aside), with its number of events. */
export async function serviceTierUses(db: Queryable): Promise<ServiceTierUse[]> {
  const rows = await db.query<ServiceTierUse>(
    `SELECT m.name AS model, m.provider, t.service_tier AS "serviceTier", t.events
     FROM (SELECT model_id, service_tier, count(*) AS events FROM events WHERE service_tier IS NOT NULL GROUP BY model_id, service_tier) t
     JOIN models m ON m.id = t.model_id
     ORDER BY m.name COLLATE "C", t.service_tier COLLATE "C"`,
  );
  return rows.rows;
}
