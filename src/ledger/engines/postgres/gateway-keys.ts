import type pg from 'pg';
import type { Admission, AdmitResult, AllowanceCheck, GatewayKey, KeyChange, KeyMeter, Settlement } from '../../gateway-keys.js';
import { type AllowanceRow, type KeyRow, keyExists, keyFromRow, type MeterRow, meterFromRow, refusal } from '../../gateway-key-rows.js';
import { readSpend } from './budgets.js';
import type { Queryable } from './sql.js';
import { inTransaction } from './transaction.js';

/**
 * The gateway's keys, meters, allowances and reservations in a PostgreSQL ledger. Admission is
 * exact under READ COMMITTED, however many gateways share the ledger: each check is one UPDATE
 * whose guard (`spent + reserved + amount <= limit`) PostgreSQL evaluates again on the row it
 * locked, so of admissions racing for the last dollar exactly as many as fit raise the row.
 */

export async function createKey(db: Queryable, key: GatewayKey): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO gateway_keys (namespace, name, secret_hash, secret_prefix, created_at, revoked_at, rotated_at, rpm, tpm, project)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [key.namespace, key.name, key.secretHash, key.secretPrefix, key.createdAt, key.revokedAt ?? null, key.rotatedAt ?? null, key.rpm ?? null, key.tpm ?? null, key.project ?? null],
  );
  if (inserted.rowCount !== 1) throw keyExists(key.namespace, key.name);
}

export async function updateKey(db: Queryable, namespace: string, name: string, change: KeyChange): Promise<boolean> {
  const updated = await db.query(
    `UPDATE gateway_keys SET secret_hash = coalesce($1, secret_hash), secret_prefix = coalesce($2, secret_prefix),
       revoked_at = coalesce($3, revoked_at), rotated_at = coalesce($4, rotated_at)
     WHERE namespace = $5 AND name = $6`,
    [change.secretHash ?? null, change.secretPrefix ?? null, change.revokedAt ?? null, change.rotatedAt ?? null, namespace, name],
  );
  return updated.rowCount === 1;
}

export async function gatewayKeys(db: Queryable, namespace: string): Promise<GatewayKey[]> {
  const rows = await db.query<KeyRow>('SELECT * FROM gateway_keys WHERE namespace = $1 ORDER BY name COLLATE "C"', [namespace]);
  return rows.rows.map(keyFromRow);
}

export async function keyMeters(db: Queryable, namespace: string, names?: readonly string[]): Promise<KeyMeter[]> {
  const rows = await db.query<MeterRow>(
    `SELECT k.name, k.created_at, m.reset_at, m.prompt_count, m.input_tokens, m.output_tokens, m.reasoning_tokens, m.cache_write_5m_tokens,
       m.cache_write_1h_tokens, m.cache_read_tokens, m.cost_nanos, m.reported_cost_nanos, m.last_activity_at
     FROM gateway_keys k LEFT JOIN key_meters m ON m.namespace = k.namespace AND m.name = k.name
     WHERE k.namespace = $1 AND ($2::text[] IS NULL OR k.name = ANY($2::text[])) ORDER BY k.name COLLATE "C"`,
    [namespace, names === undefined ? null : [...names]],
  );
  return rows.rows.map((r) => meterFromRow(namespace, r));
}

export async function resetMeters(db: Queryable, namespace: string, names: readonly string[] | 'all', at: number): Promise<number> {
  const reset = await db.query(
    `INSERT INTO key_meters (namespace, name, reset_at, prompt_count, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens,
       cache_write_1h_tokens, cache_read_tokens, cost_nanos, reported_cost_nanos, last_activity_at)
     SELECT namespace, name, $1, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL FROM gateway_keys
     WHERE namespace = $2 AND ($3::text[] IS NULL OR name = ANY($3::text[])) ORDER BY name COLLATE "C"
     ON CONFLICT (namespace, name) DO UPDATE SET reset_at = excluded.reset_at, prompt_count = 0, input_tokens = 0, output_tokens = 0,
       reasoning_tokens = 0, cache_write_5m_tokens = 0, cache_write_1h_tokens = 0, cache_read_tokens = 0, cost_nanos = 0,
       reported_cost_nanos = 0, last_activity_at = NULL`,
    [at, namespace, names === 'all' ? null : [...names]],
  );
  return reset.rowCount ?? 0;
}

/** An admission one of whose budgets had no room: its transaction is rolled back. */
class Refused extends Error {
  constructor(readonly result: AdmitResult) {
    super('refused');
  }
}

export async function admit(pool: pg.Pool, schema: string, admission: Admission): Promise<AdmitResult> {
  const checks = [...admission.checks].sort((a, b) => a.budgetId - b.budgetId);
  try {
    return await inTransaction(pool, async (client) => {
      await startPeriods(client, schema, admission, checks);
      // One check, one statement: the guard is evaluated again on the row once its lock is held.
      for (const check of checks) {
        const raised = await client.query(
          `UPDATE allowances SET reserved_nanos = reserved_nanos + $1
           WHERE budget_id = $2 AND period_key = $3 AND spent_nanos + reserved_nanos + $1 <= $4 RETURNING budget_id`,
          [admission.amountNanos, check.budgetId, check.periodKey, check.limitNanos],
        );
        if (raised.rowCount === 1) continue;
        const held = await client.query<AllowanceRow>('SELECT * FROM allowances WHERE budget_id = $1', [check.budgetId]);
        throw new Refused(refusal(check, held.rows[0] ?? { spent_nanos: 0, reserved_nanos: 0 }));
      }
      await client.query('INSERT INTO reservations (id, namespace, key_name, amount_nanos, budget_ids, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        admission.id,
        admission.namespace,
        admission.key,
        admission.amountNanos,
        checks.map((c) => c.budgetId),
        admission.expiresAt,
      ]);
      return { admitted: true } as const;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/**
 * Puts the allowances of `checks` in their periods: one absent or of another period starts with
 * what the events say was spent since the period's start. Read under the namespace's commit lock
 * (taken before any allowance row is locked), so no commit is half seen; an allowance two
 * gateways start at once is started once (`WHERE period_key <> excluded.period_key`).
 */
async function startPeriods(client: pg.PoolClient, schema: string, admission: Admission, checks: readonly AllowanceCheck[]): Promise<void> {
  const held = await client.query<{ budget_id: number; period_key: string }>('SELECT budget_id, period_key FROM allowances WHERE budget_id = ANY($1::int8[])', [checks.map((c) => c.budgetId)]);
  const periods = new Map(held.rows.map((r) => [r.budget_id, r.period_key]));
  const stale = checks.filter((c) => periods.get(c.budgetId) !== c.periodKey);
  if (stale.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`tokenledger:${schema}`, `namespace:${admission.namespace}`]);
  for (const check of stale) {
    const spent = await readSpend(client, { namespace: admission.namespace, scope: { kind: 'key', value: admission.key }, ...(check.periodStart === undefined ? {} : { since: check.periodStart }) });
    await client.query(
      `INSERT INTO allowances (budget_id, period_key, period_start, period_end, spent_nanos, reserved_nanos) VALUES ($1, $2, $3, $4, $5, 0)
       ON CONFLICT (budget_id) DO UPDATE SET period_key = excluded.period_key, period_start = excluded.period_start,
         period_end = excluded.period_end, spent_nanos = excluded.spent_nanos
       WHERE allowances.period_key <> excluded.period_key`,
      [check.budgetId, check.periodKey, check.periodStart ?? null, check.periodEnd ?? null, spent.costNanos],
    );
  }
}

/** Drops reservations (by id, or those expired before `expiredBefore`) and what they held; returns how many. */
export async function dropReservations(db: Queryable, ids: readonly string[] | undefined, expiredBefore?: number): Promise<number> {
  const gone = await db.query<{ dropped: number }>(
    `WITH gone AS (DELETE FROM reservations WHERE ($1::text[] IS NOT NULL AND id = ANY($1::text[])) OR ($2::int8 IS NOT NULL AND expires_at < $2::int8)
                   RETURNING amount_nanos, budget_ids),
          held AS (SELECT b AS budget_id, sum(amount_nanos) AS amount FROM gone, unnest(budget_ids) AS b GROUP BY b),
          lowered AS (UPDATE allowances a SET reserved_nanos = greatest(0, a.reserved_nanos - held.amount) FROM held WHERE a.budget_id = held.budget_id)
     SELECT count(*) AS dropped FROM gone`,
    [ids === undefined ? null : [...ids], expiredBefore ?? null],
  );
  return gone.rows[0]?.dropped ?? 0;
}

export async function reservedNanos(db: Queryable, namespace: string): Promise<Map<number, number>> {
  const rows = await db.query<{ budget_id: number; reserved_nanos: number }>(
    `SELECT a.budget_id, a.reserved_nanos FROM allowances a JOIN budgets b ON b.id = a.budget_id
     WHERE b.namespace = $1 AND a.reserved_nanos > 0 ORDER BY a.budget_id`,
    [namespace],
  );
  return new Map(rows.rows.map((r) => [r.budget_id, r.reserved_nanos]));
}

/** Settles metered requests; runs inside the commit that writes their events. */
export async function settle(client: pg.PoolClient, settlements: readonly Settlement[]): Promise<void> {
  if (settlements.length === 0) return;
  const reservations = settlements.flatMap((s) => (s.reservationId === undefined ? [] : [s.reservationId]));
  if (reservations.length > 0) await dropReservations(client, reservations);
  for (const s of settlements) {
    await client.query(
      `UPDATE allowances SET spent_nanos = spent_nanos + $1
       WHERE budget_id IN (SELECT id FROM budgets WHERE namespace = $2 AND scope = 'key:' || $3)
         AND (period_start IS NULL OR period_start <= $4) AND (period_end IS NULL OR $4 < period_end)`,
      [s.costNanos, s.namespace, s.key, s.at],
    );
    const t = s.tokens;
    await client.query(
      `INSERT INTO key_meters AS m (namespace, name, reset_at, prompt_count, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens,
         cache_write_1h_tokens, cache_read_tokens, cost_nanos, reported_cost_nanos, last_activity_at)
       VALUES ($1, $2, coalesce((SELECT created_at FROM gateway_keys WHERE namespace = $1 AND name = $2), $3), 1, $4, $5, $6, $7, $8, $9, $10, $11, $3)
       ON CONFLICT (namespace, name) DO UPDATE SET prompt_count = m.prompt_count + 1, input_tokens = m.input_tokens + excluded.input_tokens,
         output_tokens = m.output_tokens + excluded.output_tokens, reasoning_tokens = m.reasoning_tokens + excluded.reasoning_tokens,
         cache_write_5m_tokens = m.cache_write_5m_tokens + excluded.cache_write_5m_tokens,
         cache_write_1h_tokens = m.cache_write_1h_tokens + excluded.cache_write_1h_tokens,
         cache_read_tokens = m.cache_read_tokens + excluded.cache_read_tokens, cost_nanos = m.cost_nanos + excluded.cost_nanos,
         reported_cost_nanos = m.reported_cost_nanos + excluded.reported_cost_nanos,
         last_activity_at = greatest(m.last_activity_at, excluded.last_activity_at)`,
      [s.namespace, s.key, s.at, t.inputTokens, t.outputTokens, t.reasoningTokens, t.cacheWrite5mTokens, t.cacheWrite1hTokens, t.cacheReadTokens, s.costNanos, s.reportedCostNanos ?? 0],
    );
  }
}
