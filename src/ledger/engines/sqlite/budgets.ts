import type { Budget, BudgetCrossing, RecordedCrossing, Spend, SpendFilter } from '../../ledger.js';
import { type BudgetRow, budgetFromRow, type CrossingRow, crossingFromRow } from '../../rows.js';
import { GATEWAY_AGENT } from '../../gateway-keys.js';
import { rollupWhere } from './rollup-filter.js';
import { sumSource } from './usage-query.js';
import type { Db } from './open.js';

/** Budgets, their level crossings, and spend by namespace, scope and time. */
export class SqliteBudgets {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      list: db.prepare('SELECT * FROM budgets WHERE namespace = ? ORDER BY scope, period'),
      upsert: db.prepare(`
        INSERT INTO budgets (namespace, scope, period, amount_nanos, set_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (namespace, scope, period) DO UPDATE SET amount_nanos = excluded.amount_nanos, set_at = excluded.set_at
        RETURNING *`),
      remove: db.prepare('DELETE FROM budgets WHERE namespace = ? AND scope = ? AND period = ? RETURNING id').pluck(),
      removeCrossings: db.prepare('DELETE FROM budget_alerts WHERE budget_id = ?'),
      // A budget's allowance goes with it, and the reservations held against it are released from
      // every budget they hold: SQLite may give a later budget the same id.
      removeAllowance: db.prepare('DELETE FROM allowances WHERE budget_id = ?'),
      releaseHolds: db.prepare(`
        UPDATE allowances SET reserved_nanos = max(0, reserved_nanos - (
          SELECT coalesce(sum(r.amount_nanos), 0) FROM reservations r
          WHERE EXISTS (SELECT 1 FROM json_each(r.budget_ids) j WHERE j.value = allowances.budget_id)
            AND EXISTS (SELECT 1 FROM json_each(r.budget_ids) k WHERE k.value = ?)))`),
      dropHolds: db.prepare('DELETE FROM reservations WHERE EXISTS (SELECT 1 FROM json_each(budget_ids) WHERE value = ?)'),
      record: db.prepare('INSERT OR IGNORE INTO budget_alerts (budget_id, period_key, level, spent_nanos, at) VALUES (?, ?, ?, ?, ?)'),
      crossings: db.prepare(`
        SELECT a.budget_id, a.period_key, a.level, a.spent_nanos, a.at, a.notified_at, b.*
        FROM budget_alerts a JOIN budgets b ON b.id = a.budget_id
        WHERE b.namespace = ? AND a.at >= ? ORDER BY a.at, a.budget_id, a.spent_nanos`),
      claim: db.prepare('UPDATE budget_alerts SET notified_at = ? WHERE budget_id = ? AND period_key = ? AND level = ? AND notified_at IS NULL'),
      release: db.prepare('UPDATE budget_alerts SET notified_at = NULL WHERE budget_id = ? AND period_key = ? AND level = ?'),
    };
  }

  list(namespace: string): Budget[] {
    return (this.#stmt.list.all(namespace) as BudgetRow[]).map(budgetFromRow);
  }

  set(budget: Omit<Budget, 'id'>): Budget {
    return budgetFromRow(this.#stmt.upsert.get(budget.namespace, budget.scope, budget.period, budget.amountNanos, budget.setAt) as BudgetRow);
  }

  remove(namespace: string, scope: string, period: string): boolean {
    return this.#db.transaction(() => {
      const id = this.#stmt.remove.get(namespace, scope, period) as number | undefined;
      if (id !== undefined) {
        this.#stmt.removeCrossings.run(id);
        this.#stmt.removeAllowance.run(id);
        this.#stmt.releaseHolds.run(id);
        this.#stmt.dropHolds.run(id);
      }
      return id !== undefined;
    })();
  }

  recordCrossing(c: BudgetCrossing): boolean {
    return this.#stmt.record.run(c.budgetId, c.periodKey, c.level, c.spentNanos, c.at).changes === 1;
  }

  crossings(namespace: string, since: number): RecordedCrossing[] {
    return (this.#stmt.crossings.all(namespace, since) as CrossingRow[]).map(crossingFromRow);
  }

  claim(c: BudgetCrossing, at: number): boolean {
    return this.#stmt.claim.run(at, c.budgetId, c.periodKey, c.level).changes === 1;
  }

  release(c: BudgetCrossing): void {
    this.#stmt.release.run(c.budgetId, c.periodKey, c.level);
  }

  spend(filter: SpendFilter): Spend {
    const { where, params } = rollupWhere({ namespace: filter.namespace });
    let join = '';
    const scope = filter.scope;
    if (scope.kind === 'project') {
      // A project is named by its full path or its last folder.
      join = 'JOIN projects p ON p.id = r.project_id';
      where.push("(p.path = ? OR substr(p.path, -length(?) - 1) = '/' || ?)");
      params.push(scope.value, scope.value, scope.value);
    } else if (scope.kind === 'session') {
      where.push('s.session_key = ?');
      params.push(scope.value);
    } else if (scope.kind === 'agent') {
      where.push('s.agent = ?');
      params.push(scope.value);
    } else if (scope.kind === 'user') {
      where.push('s.recorder_id IN (SELECT id FROM recorders WHERE user_name = ?)');
      params.push(scope.value);
    } else if (scope.kind === 'key') {
      // A gateway key's requests are the sessions of agent `gateway` named after it.
      where.push('s.agent = ? AND s.session_key = ?');
      params.push(GATEWAY_AGENT, scope.value);
    }
    // Whole days from the day sums: a month's or all time's spend is checked in every commit.
    const sums = sumSource(filter.since, filter.until, false);
    const query = (sum: 'sum' | 'total'): Spend =>
      this.#db
        .prepare(
          `SELECT coalesce(${sum}(r.cost_nanos), 0) AS costNanos, count(DISTINCT r.session_id) AS sessions
           FROM ${sums.source} JOIN sessions s ON s.id = r.session_id ${join}
           WHERE ${[...where, ...sums.where].join(' AND ')}`,
        )
        .get(...sums.sourceParams, ...params, ...sums.whereParams) as Spend;
    try {
      return query('sum');
    } catch (error) {
      // Past 2^63 nano-USD ($9.2 billion) the exact sum overflows; the floating total is still far
      // above any budget (at most 2^53), so the check sees the budget used up instead of failing.
      if (!isIntegerOverflow(error)) throw error;
      return query('total');
    }
  }
}

function isIntegerOverflow(error: unknown): boolean {
  return error instanceof Error && error.message === 'integer overflow';
}
