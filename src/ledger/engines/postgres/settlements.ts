import type pg from 'pg';
import type { Settlement } from '../../gateway-keys.js';
import type { Queryable } from './sql.js';
import { inTransaction } from './transaction.js';

/**
 * Reservations released and requests settled on PostgreSQL. Allowance rows are locked in budget-id
 * order before they change, the order admissions lock them in, so a release or a commit never waits
 * on an admission in a cycle.
 */

/** Locks the allowances of `budgetIds` in budget-id order. */
async function lockAllowances(client: Queryable, budgetIds: readonly number[]): Promise<void> {
  if (budgetIds.length > 0) await client.query('SELECT budget_id FROM allowances WHERE budget_id = ANY($1::int8[]) ORDER BY budget_id FOR UPDATE', [[...budgetIds]]);
}

/** Deletes reservations (by id, or those expired before `expiredBefore`) and lowers what they held; returns how many. */
async function drop(client: Queryable, ids: readonly string[] | undefined, expiredBefore?: number): Promise<number> {
  const gone = await client.query<{ amount_nanos: number; budget_ids: string[] }>(
    `DELETE FROM reservations WHERE ($1::text[] IS NOT NULL AND id = ANY($1::text[])) OR ($2::int8 IS NOT NULL AND expires_at < $2::int8)
     RETURNING amount_nanos, budget_ids`,
    [ids === undefined ? null : [...ids], expiredBefore ?? null],
  );
  const held = new Map<number, number>();
  for (const r of gone.rows) for (const id of r.budget_ids) held.set(Number(id), (held.get(Number(id)) ?? 0) + r.amount_nanos);
  if (held.size > 0) {
    const budgetIds = [...held.keys()].sort((a, b) => a - b);
    await lockAllowances(client, budgetIds);
    await client.query(
      `UPDATE allowances a SET reserved_nanos = greatest(0, a.reserved_nanos - h.amount)
       FROM unnest($1::int8[], $2::int8[]) AS h(budget_id, amount) WHERE a.budget_id = h.budget_id`,
      [budgetIds, budgetIds.map((id) => held.get(id))],
    );
  }
  return gone.rows.length;
}

/** Drops reservations by id (unknown ids are ignored) or those expired before `expiredBefore`; returns how many. */
export function dropReservations(pool: pg.Pool, ids: readonly string[] | undefined, expiredBefore?: number): Promise<number> {
  return inTransaction(pool, (client) => drop(client, ids, expiredBefore));
}

export async function reservedNanos(db: Queryable, namespace: string): Promise<Map<number, number>> {
  const rows = await db.query<{ budget_id: number; reserved_nanos: number }>(
    `SELECT a.budget_id, a.reserved_nanos FROM allowances a JOIN budgets b ON b.id = a.budget_id
     WHERE b.namespace = $1 AND a.reserved_nanos > 0 ORDER BY a.budget_id`,
    [namespace],
  );
  return new Map(rows.rows.map((r) => [r.budget_id, r.reserved_nanos]));
}

/** A key's settlements of one commit, summed. */
interface KeyTotals {
  namespace: string;
  key: string;
  count: number;
  sums: number[];
  lastAt: number;
}

/**
 * Settles metered requests inside the commit that writes their events: their reservations go, the
 * spend of their keys' allowances whose period holds each request's end grows, and their keys'
 * meters count them. A few statements for the whole commit, whatever the number of requests.
 */
export async function settle(client: pg.PoolClient, settlements: readonly Settlement[]): Promise<void> {
  if (settlements.length === 0) return;
  const reservations = settlements.flatMap((s) => (s.reservationId === undefined ? [] : [s.reservationId]));
  if (reservations.length > 0) await drop(client, reservations);
  const namespaces = settlements.map((s) => s.namespace);
  const scopes = settlements.map((s) => `key:${s.key}`);
  const costs = settlements.map((s) => s.costNanos);
  const ats = settlements.map((s) => s.at);
  const spent = await client.query<{ budget_id: number; amount: number }>(
    `SELECT a.budget_id, sum(x.cost) AS amount
     FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[]) AS x(namespace, scope, cost, at)
       JOIN budgets b ON b.namespace = x.namespace AND b.scope = x.scope
       JOIN allowances a ON a.budget_id = b.id AND (a.period_start IS NULL OR a.period_start <= x.at) AND (a.period_end IS NULL OR x.at < a.period_end)
     GROUP BY a.budget_id ORDER BY a.budget_id`,
    [namespaces, scopes, costs, ats],
  );
  if (spent.rows.length > 0) {
    const budgetIds = spent.rows.map((r) => r.budget_id);
    await lockAllowances(client, budgetIds);
    await client.query('UPDATE allowances a SET spent_nanos = a.spent_nanos + s.amount FROM unnest($1::int8[], $2::int8[]) AS s(budget_id, amount) WHERE a.budget_id = s.budget_id', [
      budgetIds,
      spent.rows.map((r) => r.amount),
    ]);
  }
  await addToMeters(client, settlements);
}

const METERED = ['input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'cost_nanos', 'reported_cost_nanos'] as const;

async function addToMeters(client: pg.PoolClient, settlements: readonly Settlement[]): Promise<void> {
  const byKey = new Map<string, KeyTotals>();
  for (const s of settlements) {
    const id = `${s.namespace}\0${s.key}`;
    let totals = byKey.get(id);
    if (totals === undefined) byKey.set(id, (totals = { namespace: s.namespace, key: s.key, count: 0, sums: METERED.map(() => 0), lastAt: s.at }));
    const t = s.tokens;
    const values = [t.inputTokens, t.outputTokens, t.reasoningTokens, t.cacheWrite5mTokens, t.cacheWrite1hTokens, t.cacheReadTokens, s.costNanos, s.reportedCostNanos ?? 0];
    totals.count += 1;
    for (let i = 0; i < values.length; i++) totals.sums[i] = (totals.sums[i] as number) + (values[i] as number);
    totals.lastAt = Math.max(totals.lastAt, s.at);
  }
  // Rows in key order: two commits upserting meters never wait on each other in a cycle.
  const keys = [...byKey.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const columns = [keys.map((k) => k.namespace), keys.map((k) => k.key), keys.map((k) => k.count), ...METERED.map((_, i) => keys.map((k) => k.sums[i])), keys.map((k) => k.lastAt)];
  await client.query(
    `INSERT INTO key_meters AS m (namespace, name, reset_at, prompt_count, ${METERED.join(', ')}, last_activity_at)
     SELECT x.namespace, x.name, coalesce(k.created_at, x.last_at), x.count, ${METERED.map((c) => `x.${c}`).join(', ')}, x.last_at
     FROM unnest($1::text[], $2::text[], $3::int8[], ${METERED.map((_, i) => `$${i + 4}::int8[]`).join(', ')}, $${METERED.length + 4}::int8[])
       WITH ORDINALITY AS x(namespace, name, count, ${METERED.join(', ')}, last_at, n)
       LEFT JOIN gateway_keys k ON k.namespace = x.namespace AND k.name = x.name
     ORDER BY x.n
     ON CONFLICT (namespace, name) DO UPDATE SET prompt_count = m.prompt_count + excluded.prompt_count,
       ${METERED.map((c) => `${c} = m.${c} + excluded.${c}`).join(', ')},
       last_activity_at = greatest(m.last_activity_at, excluded.last_activity_at)`,
    columns,
  );
}
