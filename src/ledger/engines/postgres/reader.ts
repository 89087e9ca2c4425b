import type { RateLimitSnapshot, RateLimitWindow } from '../../../core/usage-event.js';
import { sessionKey, type DroppedRecord, type Partition, type SessionInfo, type UsageFilter } from '../../ledger.js';
import type { Recorder } from '../../recorder.js';
import { addAny, Params, type Queryable } from './sql.js';

export async function sessions(db: Queryable, filter: UsageFilter): Promise<Map<string, SessionInfo>> {
  const params = new Params();
  const where = ['s.first_at IS NOT NULL', `s.namespace = ${params.add(filter.namespace)}`];
  if (filter.since !== undefined) where.push(`s.last_at >= ${params.add(filter.since)}`);
  if (filter.until !== undefined) where.push(`s.first_at < ${params.add(filter.until)}`);
  addAny(where, params, 's.agent', filter.agents);
  addAny(where, params, 'u.user_name', filter.users);
  addAny(where, params, 'u.machine', filter.machines);
  const rows = await db.query<{ agent: string; session_key: string; first_at: number; last_at: number; user_name: string; machine: string }>(
    `SELECT s.agent, s.session_key, s.first_at, s.last_at, u.user_name, u.machine FROM sessions s JOIN recorders u ON u.id = s.recorder_id WHERE ${where.join(' AND ')}`,
    params.values,
  );
  const map = new Map<string, SessionInfo>();
  for (const r of rows.rows) {
    map.set(sessionKey(r.agent, r.session_key), { agent: r.agent, sessionId: r.session_key, firstActivity: r.first_at, lastActivity: r.last_at, user: r.user_name, machine: r.machine });
  }
  return map;
}

/** Every user and machine that recorded a session, sorted. */
export async function recorders(db: Queryable): Promise<Recorder[]> {
  const rows = await db.query<Recorder>(
    'SELECT r.user_name AS user, r.machine FROM recorders r WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.recorder_id = r.id) ORDER BY r.user_name COLLATE "C", r.machine COLLATE "C"',
  );
  return rows.rows;
}

export async function projects(db: Queryable): Promise<string[]> {
  return (await db.query<{ path: string }>('SELECT path FROM projects ORDER BY path COLLATE "C"')).rows.map((r) => r.path);
}

export async function partitions(db: Queryable): Promise<Partition[]> {
  const rows = await db.query<{ namespace: string; agent: string }>('SELECT namespace, agent FROM sessions GROUP BY namespace, agent ORDER BY namespace COLLATE "C", agent COLLATE "C"');
  const byNamespace = new Map<string, string[]>();
  for (const { namespace, agent } of rows.rows) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), agent]);
  return [...byNamespace].map(([namespace, agents]) => ({ namespace, agents }));
}

export async function latestRateLimits(db: Queryable, since: number): Promise<RateLimitSnapshot[]> {
  const rows = await db.query<{ agent: string; session_key: string; occurred_at: number; windows: string; plan_type: string | null; limit_id: string | null }>(
    `SELECT agent, session_key, occurred_at, windows, plan_type, limit_id FROM (
       SELECT *, row_number() OVER (PARTITION BY agent, coalesce(limit_id, '') ORDER BY occurred_at DESC) AS n
       FROM rate_limits WHERE occurred_at >= $1) latest
     WHERE n = 1 ORDER BY agent COLLATE "C", limit_id COLLATE "C" NULLS FIRST`,
    [since],
  );
  return rows.rows.map((r) => ({
    agent: r.agent,
    sessionId: r.session_key,
    occurredAt: r.occurred_at,
    windows: JSON.parse(r.windows) as RateLimitWindow[],
    ...(r.plan_type === null ? {} : { planType: r.plan_type }),
    ...(r.limit_id === null ? {} : { limitId: r.limit_id }),
  }));
}

export async function drops(db: Queryable, limit: number): Promise<DroppedRecord[]> {
  const rows = await db.query<DroppedRecord>(
    'SELECT f.path AS path, d.line AS line, d.reason AS reason FROM drops d JOIN files f ON f.id = d.file_id ORDER BY d.seen_at DESC, f.path COLLATE "C", d.line LIMIT $1',
    [limit],
  );
  return rows.rows;
}

export async function hasStale(db: Queryable, priceVersionId: number): Promise<boolean> {
  const rows = await db.query<{ stale: boolean }>('SELECT EXISTS (SELECT 1 FROM price_versions v WHERE v.id <> $1 AND EXISTS (SELECT 1 FROM events e WHERE e.price_version_id = v.id)) AS stale', [
    priceVersionId,
  ]);
  return rows.rows[0]?.stale === true;
}

/**
 * The id of a price version label, created on first use. A role that may only read (a dashboard)
 * gets 0 for a label the ledger does not know: no event refers to it, so `hasStale` tells, rightly,
 * that stored costs were computed with other prices; any write by that role is refused anyway.
 */
export async function priceVersionId(db: Queryable, label: string): Promise<number> {
  const known = await db.query<{ id: number }>('SELECT id FROM price_versions WHERE label = $1', [label]);
  if (known.rows[0] !== undefined) return known.rows[0].id;
  try {
    await db.query('INSERT INTO price_versions (label, created_at) VALUES ($1, $2) ON CONFLICT (label) DO NOTHING', [label, Date.now()]);
  } catch (error) {
    if ((error as { code?: unknown }).code === '42501') return 0;
    throw error;
  }
  return ((await db.query<{ id: number }>('SELECT id FROM price_versions WHERE label = $1', [label])).rows[0] as { id: number }).id;
}
