import type { ServiceTierUse, TieredEventRow, UsageFilter } from '../../ledger.js';
import type { Db } from './open.js';
import { addIn, addRecorderIn } from './sql-in.js';

/**
 * The requests served at a service tier other than standard (fast mode, flex, …), oldest first.
 * Few next to all requests; the partial index on `service_tier` finds them without a scan (named,
 * since the planner would otherwise walk every event of the period: 117 ms on a million events).
 */
export function tieredEvents(db: Db, filter: UsageFilter): TieredEventRow[] {
  const where = ['e.service_tier IS NOT NULL', 's.namespace = ?'];
  const params: (number | string)[] = [filter.namespace];
  if (filter.since !== undefined) {
    where.push('e.occurred_at >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push('e.occurred_at < ?');
    params.push(filter.until);
  }
  addIn(where, params, 's.agent', filter.agents);
  addIn(where, params, 'p.path', filter.projects);
  addRecorderIn(where, params, 's.recorder_id', filter);
  const rows = db
    .prepare(
      `SELECT e.occurred_at AS occurredAt, s.agent AS agent, s.session_key AS sessionId, m.name AS model, m.provider AS provider,
              e.service_tier AS serviceTier, e.input_tokens AS inputTokens, e.output_tokens AS outputTokens,
              e.reasoning_tokens AS reasoningTokens, e.cache_write_5m_tokens AS cacheWrite5mTokens,
              e.cache_write_1h_tokens AS cacheWrite1hTokens, e.cache_read_tokens AS cacheReadTokens,
              e.cost_nanos AS costNanos, e.unpriced AS unpriced
       FROM events e INDEXED BY events_service_tier JOIN sessions s ON s.id = e.session_id JOIN models m ON m.id = e.model_id JOIN projects p ON p.id = e.project_id
       WHERE ${where.join(' AND ')}
       ORDER BY e.occurred_at, e.id`,
    )
    .all(...params) as (Omit<TieredEventRow, 'unpriced'> & { unpriced: number })[];
  return rows.map((r) => ({ ...r, unpriced: r.unpriced === 1 }));
}

/** Each model and service tier in use (standard aside), with its number of events: read from the index alone. */
export function serviceTierUses(db: Db): ServiceTierUse[] {
  return db
    .prepare(
      `SELECT m.name AS model, m.provider AS provider, t.service_tier AS serviceTier, t.events AS events
       FROM (SELECT model_id, service_tier, count(*) AS events FROM events WHERE service_tier IS NOT NULL GROUP BY model_id, service_tier) t
       JOIN models m ON m.id = t.model_id
       ORDER BY m.name, t.service_tier`,
    )
    .all() as ServiceTierUse[];
}
