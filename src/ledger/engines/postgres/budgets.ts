import type { Budget, BudgetCrossing, RecordedCrossing, Spend, SpendFilter } from '../../ledger.js';
import { GATEWAY_AGENT } from '../../gateway-keys.js';
import { type BudgetRow, budgetFromRow, type CrossingRow, crossingFromRow } from '../../rows.js';
import { Params, type Queryable } from './sql.js';
import { sumSource, sumWhere } from './sums.js';

/** Budgets, their level crossings, and spend by namespace, scope and time. */
export async function listBudgets(db: Queryable, namespace: string): Promise<Budget[]> {
  const rows = await db.query<BudgetRow>('SELECT * FROM budgets WHERE namespace = $1 ORDER BY scope COLLATE "C", period COLLATE "C"', [namespace]);
  return rows.rows.map(budgetFromRow);
}

export async function setBudget(db: Queryable, budget: Omit<Budget, 'id'>): Promise<Budget> {
  const rows = await db.query<BudgetRow>(
    `INSERT INTO budgets (namespace, scope, period, amount_nanos, set_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (namespace, scope, period) DO UPDATE SET amount_nanos = excluded.amount_nanos, set_at = excluded.set_at
     RETURNING *`,
    [budget.namespace, budget.scope, budget.period, budget.amountNanos, budget.setAt],
  );
  return budgetFromRow(rows.rows[0] as BudgetRow);
}

/** Removes a budget, its crossings and its gateway allowance in one statement. */
export async function removeBudget(db: Queryable, namespace: string, scope: string, period: string): Promise<boolean> {
  const rows = await db.query(
    `WITH gone AS (DELETE FROM budgets WHERE namespace = $1 AND scope = $2 AND period = $3 RETURNING id),
          alerts AS (DELETE FROM budget_alerts WHERE budget_id IN (SELECT id FROM gone)),
          allowance AS (DELETE FROM allowances WHERE budget_id IN (SELECT id FROM gone))
     SELECT id FROM gone`,
    [namespace, scope, period],
  );
  return rows.rows.length > 0;
}

/** Records a crossing unless it is already; true when this call recorded it. */
export async function recordCrossing(db: Queryable, c: BudgetCrossing): Promise<boolean> {
  const result = await db.query('INSERT INTO budget_alerts (budget_id, period_key, level, spent_nanos, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
    c.budgetId,
    c.periodKey,
    c.level,
    c.spentNanos,
    c.at,
  ]);
  return result.rowCount === 1;
}

export async function listCrossings(db: Queryable, namespace: string, since: number): Promise<RecordedCrossing[]> {
  const rows = await db.query<CrossingRow>(
    `SELECT a.budget_id, a.period_key, a.level, a.spent_nanos, a.at, a.notified_at, b.*
     FROM budget_alerts a JOIN budgets b ON b.id = a.budget_id
     WHERE b.namespace = $1 AND a.at >= $2 ORDER BY a.at, a.budget_id, a.spent_nanos`,
    [namespace, since],
  );
  return rows.rows.map(crossingFromRow);
}

export async function claimCrossing(db: Queryable, c: BudgetCrossing, at: number): Promise<boolean> {
  const result = await db.query('UPDATE budget_alerts SET notified_at = $1 WHERE budget_id = $2 AND period_key = $3 AND level = $4 AND notified_at IS NULL', [at, c.budgetId, c.periodKey, c.level]);
  return result.rowCount === 1;
}

export async function releaseCrossing(db: Queryable, c: BudgetCrossing): Promise<void> {
  await db.query('UPDATE budget_alerts SET notified_at = NULL WHERE budget_id = $1 AND period_key = $2 AND level = $3', [c.budgetId, c.periodKey, c.level]);
}

/**
 * Spend of a scope over a time range, from the sum tables (whole days from the day sums). Sums of
 * int8 are numeric in PostgreSQL: past 2^63 nano-USD they do not overflow, they read as a number
 * above any budget.
 */
export async function readSpend(db: Queryable, filter: SpendFilter): Promise<Spend> {
  const params = new Params();
  const source = sumSource(params, filter.since, filter.until, false);
  const where = sumWhere(params, { namespace: filter.namespace });
  const scope = filter.scope;
  if (scope.kind === 'project') {
    // A project is named by its full path or its last folder.
    const value = params.add(scope.value);
    where.push(`r.project_id IN (SELECT id FROM projects WHERE path = ${value} OR right(path, length(${value}) + 1) = '/' || ${value})`);
  } else if (scope.kind === 'session') where.push(`s.session_key = ${params.add(scope.value)}`);
  else if (scope.kind === 'agent') where.push(`s.agent = ${params.add(scope.value)}`);
  else if (scope.kind === 'user') where.push(`s.recorder_id IN (SELECT id FROM recorders WHERE user_name = ${params.add(scope.value)})`);
  // A gateway key's requests are the sessions of agent `gateway` named after it.
  else if (scope.kind === 'key') where.push(`s.agent = ${params.add(GATEWAY_AGENT)} AND s.session_key = ${params.add(scope.value)}`);
  const rows = await db.query<Spend>(
    `SELECT coalesce(sum(r.cost_nanos), 0) AS "costNanos", count(DISTINCT r.session_id) AS sessions
     FROM ${source} JOIN sessions s ON s.id = r.session_id WHERE ${where.join(' AND ')}`,
    params.values,
  );
  return rows.rows[0] as Spend;
}
