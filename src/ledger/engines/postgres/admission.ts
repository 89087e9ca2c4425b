import type pg from 'pg';
import type { Admission, AdmitResult, AllowanceCheck } from '../../gateway-keys.js';
import { type AllowanceRow, refusal } from '../../gateway-key-rows.js';
import { readSpend } from './budgets.js';
import { inTransaction } from './transaction.js';

/**
 * Admission on PostgreSQL, exact under READ COMMITTED however many gateways share the ledger: each
 * check is one UPDATE whose guard (`spent + reserved + amount <= limit`) PostgreSQL evaluates again
 * on the row once it holds its lock, so of admissions racing for the last dollar exactly as many as
 * fit raise the row. Several checks are taken in budget-id order (no two admissions wait on each
 * other in a cycle), all in one transaction: reserved against every budget, or none.
 */

/** An admission one of whose budgets had no room: its transaction is rolled back. */
class Refused extends Error {
  constructor(readonly result: AdmitResult) {
    super('refused');
  }
}

export async function admit(pool: pg.Pool, schema: string, admission: Admission): Promise<AdmitResult> {
  const checks = [...admission.checks].sort((a, b) => a.budgetId - b.budgetId);
  // The common case, one check on an allowance already in its period, in one round trip.
  const [only] = checks;
  if (checks.length === 1 && only !== undefined && (await admitInOne(pool, admission, only))) return { admitted: true };
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
 * One check as one statement (its own transaction): the guarded UPDATE of the allowance (the guard
 * evaluated again on the row once its lock is held, as in the transaction below) and, only when it
 * raised the row, the reservation. False when it did not: the allowance is absent, of another
 * period, or full, and the admission takes the whole path (which starts periods and says why).
 */
async function admitInOne(pool: pg.Pool, admission: Admission, check: AllowanceCheck): Promise<boolean> {
  const booked = await pool.query(
    `WITH raised AS (
       UPDATE allowances SET reserved_nanos = reserved_nanos + $1
       WHERE budget_id = $2 AND period_key = $3 AND spent_nanos + reserved_nanos + $1 <= $4 RETURNING budget_id
     )
     INSERT INTO reservations (id, namespace, key_name, amount_nanos, budget_ids, expires_at)
     SELECT $5, $6, $7, $1, ARRAY[budget_id], $8 FROM raised`,
    [admission.amountNanos, check.budgetId, check.periodKey, check.limitNanos, admission.id, admission.namespace, admission.key, admission.expiresAt],
  );
  return booked.rowCount === 1;
}

/**
 * Puts the allowances of `checks` in their periods: one absent or of another period starts with
 * what the events say was spent since the period's start. Read under the namespace's commit lock
 * (taken before any allowance row is locked), so no commit is half seen; an allowance two
 * gateways start at once is started once (`WHERE period_key <> excluded.period_key`). What requests
 * in flight hold stays reserved: they settle in the period they end in.
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
