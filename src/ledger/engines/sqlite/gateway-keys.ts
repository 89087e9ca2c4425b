import type { Admission, AdmitResult, GatewayKey, KeyChange, KeyMeter, Settlement } from '../../gateway-keys.js';
import { type AllowanceRow, keyExists, type KeyRow, keyFromRow, type MeterRow, meterFromRow, refusal, settledBudgetIds } from '../../gateway-key-rows.js';
import type { SqliteBudgets } from './budgets.js';
import type { Db } from './open.js';

/**
 * The gateway's keys, meters, allowances and reservations in a SQLite ledger. Every write runs in
 * an immediate transaction (one writer at a time), which makes admission exact: the allowance is
 * read and raised under the ledger's write lock. Settlements run inside the writer's commit.
 */
export class SqliteGatewayKeys {
  readonly #db: Db;
  readonly #budgets: SqliteBudgets;
  readonly #stmt;

  constructor(db: Db, budgets: SqliteBudgets) {
    this.#db = db;
    this.#budgets = budgets;
    this.#stmt = {
      insertKey: db.prepare(`
        INSERT INTO gateway_keys (namespace, name, secret_hash, secret_prefix, created_at, revoked_at, rotated_at, rpm, tpm, project)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      updateKey: db.prepare(`
        UPDATE gateway_keys SET secret_hash = coalesce(?, secret_hash), secret_prefix = coalesce(?, secret_prefix),
          revoked_at = coalesce(?, revoked_at), rotated_at = coalesce(?, rotated_at)
        WHERE namespace = ? AND name = ?`),
      keys: db.prepare('SELECT * FROM gateway_keys WHERE namespace = ? ORDER BY name'),
      meters: db.prepare(`
        SELECT k.name, k.created_at, m.reset_at, m.prompt_count, m.input_tokens, m.output_tokens, m.reasoning_tokens, m.cache_write_5m_tokens,
          m.cache_write_1h_tokens, m.cache_read_tokens, m.cost_nanos, m.reported_cost_nanos, m.last_activity_at
        FROM gateway_keys k LEFT JOIN key_meters m ON m.namespace = k.namespace AND m.name = k.name
        WHERE k.namespace = ? ORDER BY k.name`),
      reset: db.prepare(`
        INSERT INTO key_meters (namespace, name, reset_at, prompt_count, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens,
          cache_write_1h_tokens, cache_read_tokens, cost_nanos, reported_cost_nanos, last_activity_at)
        SELECT namespace, name, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL FROM gateway_keys WHERE namespace = ? AND (? OR name IN (SELECT value FROM json_each(?)))
        ON CONFLICT (namespace, name) DO UPDATE SET reset_at = excluded.reset_at, prompt_count = 0, input_tokens = 0, output_tokens = 0,
          reasoning_tokens = 0, cache_write_5m_tokens = 0, cache_write_1h_tokens = 0, cache_read_tokens = 0, cost_nanos = 0,
          reported_cost_nanos = 0, last_activity_at = NULL`),
      allowance: db.prepare('SELECT * FROM allowances WHERE budget_id = ?'),
      startAllowance: db.prepare(`
        INSERT INTO allowances (budget_id, period_key, period_start, period_end, spent_nanos, reserved_nanos) VALUES (?, ?, ?, ?, ?, 0)
        ON CONFLICT (budget_id) DO UPDATE SET period_key = excluded.period_key, period_start = excluded.period_start,
          period_end = excluded.period_end, spent_nanos = excluded.spent_nanos`),
      reserve: db.prepare('UPDATE allowances SET reserved_nanos = reserved_nanos + ? WHERE budget_id = ?'),
      unreserve: db.prepare('UPDATE allowances SET reserved_nanos = max(0, reserved_nanos - ?) WHERE budget_id = ?'),
      insertReservation: db.prepare('INSERT INTO reservations (id, namespace, key_name, amount_nanos, budget_ids, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteReservation: db.prepare('DELETE FROM reservations WHERE id = ? RETURNING amount_nanos, budget_ids'),
      expired: db.prepare('DELETE FROM reservations WHERE expires_at < ? RETURNING amount_nanos, budget_ids'),
      reserved: db.prepare(`
        SELECT a.budget_id, a.reserved_nanos FROM allowances a JOIN budgets b ON b.id = a.budget_id
        WHERE b.namespace = ? AND a.reserved_nanos > 0 ORDER BY a.budget_id`),
      // The settled spend of a key's allowances whose period holds the request's end.
      spend: db.prepare(`
        UPDATE allowances SET spent_nanos = spent_nanos + ?
        WHERE budget_id IN (SELECT id FROM budgets WHERE namespace = ? AND scope = 'key:' || ?)
          AND (period_start IS NULL OR period_start <= ?) AND (period_end IS NULL OR ? < period_end)`),
      meter: db.prepare(`
        INSERT INTO key_meters (namespace, name, reset_at, prompt_count, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens,
          cache_write_1h_tokens, cache_read_tokens, cost_nanos, reported_cost_nanos, last_activity_at)
        VALUES (@namespace, @name, coalesce((SELECT created_at FROM gateway_keys WHERE namespace = @namespace AND name = @name), @at), 1,
          @input, @output, @reasoning, @write5m, @write1h, @read, @cost, @reported, @at)
        ON CONFLICT (namespace, name) DO UPDATE SET prompt_count = prompt_count + 1, input_tokens = input_tokens + excluded.input_tokens,
          output_tokens = output_tokens + excluded.output_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
          cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
          cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
          cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_nanos = cost_nanos + excluded.cost_nanos,
          reported_cost_nanos = reported_cost_nanos + excluded.reported_cost_nanos,
          last_activity_at = max(coalesce(last_activity_at, excluded.last_activity_at), excluded.last_activity_at)`),
    };
  }

  createKey(key: GatewayKey): void {
    const inserted = this.#stmt.insertKey.run(
      key.namespace,
      key.name,
      key.secretHash,
      key.secretPrefix,
      key.createdAt,
      key.revokedAt ?? null,
      key.rotatedAt ?? null,
      key.rpm ?? null,
      key.tpm ?? null,
      key.project ?? null,
    );
    if (inserted.changes !== 1) throw keyExists(key.namespace, key.name);
  }

  updateKey(namespace: string, name: string, change: KeyChange): boolean {
    return this.#stmt.updateKey.run(change.secretHash ?? null, change.secretPrefix ?? null, change.revokedAt ?? null, change.rotatedAt ?? null, namespace, name).changes === 1;
  }

  keys(namespace: string): GatewayKey[] {
    return (this.#stmt.keys.all(namespace) as KeyRow[]).map(keyFromRow);
  }

  meters(namespace: string, names?: readonly string[]): KeyMeter[] {
    const wanted = names === undefined ? undefined : new Set(names);
    return (this.#stmt.meters.all(namespace) as MeterRow[]).filter((r) => wanted === undefined || wanted.has(r.name)).map((r) => meterFromRow(namespace, r));
  }

  resetMeters(namespace: string, names: readonly string[] | 'all', at: number): number {
    const all = names === 'all';
    return this.#stmt.reset.run(at, namespace, all ? 1 : 0, JSON.stringify(all ? [] : names)).changes;
  }

  admit(admission: Admission): AdmitResult {
    return this.#db.transaction(() => this.#admit(admission)).immediate();
  }

  /** Each admission in order in one immediate transaction; each in a savepoint of its own, so one that fails is undone alone. */
  admitEach(admissions: readonly Admission[]): (AdmitResult | Error)[] {
    const one = this.#db.transaction((admission: Admission) => this.#admit(admission));
    return this.#db
      .transaction(() =>
        admissions.map((admission) => {
          try {
            return one(admission);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      )
      .immediate();
  }

  #admit(admission: Admission): AdmitResult {
    const checks = [...admission.checks].sort((a, b) => a.budgetId - b.budgetId);
    for (const check of checks) {
      let row = this.#stmt.allowance.get(check.budgetId) as AllowanceRow | undefined;
      if (row === undefined || row.period_key !== check.periodKey) {
        // A new period (or a first admission): what was spent in it so far is in the events.
        // What requests in flight hold stays reserved: they settle in the period they end in.
        const spent = this.#budgets.spend({ namespace: admission.namespace, scope: { kind: 'key', value: admission.key }, since: check.periodStart }).costNanos;
        this.#stmt.startAllowance.run(check.budgetId, check.periodKey, check.periodStart ?? null, check.periodEnd ?? null, spent);
        row = this.#stmt.allowance.get(check.budgetId) as AllowanceRow;
      }
      if (row.spent_nanos + row.reserved_nanos + admission.amountNanos > check.limitNanos) return refusal(check, row);
    }
    for (const check of checks) this.#stmt.reserve.run(admission.amountNanos, check.budgetId);
    this.#stmt.insertReservation.run(admission.id, admission.namespace, admission.key, admission.amountNanos, JSON.stringify(checks.map((c) => c.budgetId)), admission.expiresAt);
    return { admitted: true };
  }

  releaseReservations(ids: readonly string[]): void {
    this.#db
      .transaction(() => {
        for (const id of ids) this.#release(id);
      })
      .immediate();
  }

  expireReservations(now: number): number {
    return this.#db
      .transaction(() => {
        const gone = this.#stmt.expired.all(now) as { amount_nanos: number; budget_ids: string }[];
        for (const r of gone) this.#unreserve(r);
        return gone.length;
      })
      .immediate();
  }

  reservedNanos(namespace: string): Map<number, number> {
    const rows = this.#stmt.reserved.all(namespace) as { budget_id: number; reserved_nanos: number }[];
    return new Map(rows.map((r) => [r.budget_id, r.reserved_nanos]));
  }

  /** Settles metered requests; runs inside the commit that writes their events. */
  settle(settlements: readonly Settlement[]): void {
    for (const s of settlements) {
      if (s.reservationId !== undefined) this.#release(s.reservationId);
      this.#stmt.spend.run(s.costNanos, s.namespace, s.key, s.at, s.at);
      this.#stmt.meter.run({
        namespace: s.namespace,
        name: s.key,
        at: s.at,
        input: s.tokens.inputTokens,
        output: s.tokens.outputTokens,
        reasoning: s.tokens.reasoningTokens,
        write5m: s.tokens.cacheWrite5mTokens,
        write1h: s.tokens.cacheWrite1hTokens,
        read: s.tokens.cacheReadTokens,
        cost: s.costNanos,
        reported: s.reportedCostNanos ?? 0,
      });
    }
  }

  #release(id: string): void {
    const gone = this.#stmt.deleteReservation.get(id) as { amount_nanos: number; budget_ids: string } | undefined;
    if (gone !== undefined) this.#unreserve(gone);
  }

  #unreserve(reservation: { amount_nanos: number; budget_ids: string }): void {
    for (const budgetId of settledBudgetIds(reservation.budget_ids)) this.#stmt.unreserve.run(reservation.amount_nanos, budgetId);
  }
}
