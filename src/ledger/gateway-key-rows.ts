import { TokenledgerError } from '../core/errors.js';
import type { AdmitResult, AllowanceCheck, GatewayKey, KeyMeter } from './gateway-keys.js';

/**
 * How every engine's rows of the gateway's tables map to the contract's types (`gateway-keys.ts`):
 * both engines name the columns alike.
 */

/** A row of `gateway_keys`. */
export interface KeyRow {
  namespace: string;
  name: string;
  secret_hash: string;
  secret_prefix: string;
  created_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
  rpm: number | null;
  tpm: number | null;
  project: string | null;
}

export function keyFromRow(r: KeyRow): GatewayKey {
  return {
    namespace: r.namespace,
    name: r.name,
    secretHash: r.secret_hash,
    secretPrefix: r.secret_prefix,
    createdAt: r.created_at,
    ...(r.revoked_at === null ? {} : { revokedAt: r.revoked_at }),
    ...(r.rotated_at === null ? {} : { rotatedAt: r.rotated_at }),
    ...(r.rpm === null ? {} : { rpm: r.rpm }),
    ...(r.tpm === null ? {} : { tpm: r.tpm }),
    ...(r.project === null ? {} : { project: r.project }),
  };
}

/** A key's name and creation joined to its `key_meters` row, whose columns are null when it has none yet. */
export interface MeterRow {
  name: string;
  created_at: number;
  reset_at: number | null;
  prompt_count: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
  cache_write_5m_tokens: number | null;
  cache_write_1h_tokens: number | null;
  cache_read_tokens: number | null;
  cost_nanos: number | null;
  reported_cost_nanos: number | null;
  last_activity_at: number | null;
}

/** The meter of a row; a key never metered nor reset counts from its creation, at zero. */
export function meterFromRow(namespace: string, r: MeterRow): KeyMeter {
  return {
    namespace,
    name: r.name,
    promptCount: r.prompt_count ?? 0,
    inputTokens: r.input_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    reasoningTokens: r.reasoning_tokens ?? 0,
    cacheWrite5mTokens: r.cache_write_5m_tokens ?? 0,
    cacheWrite1hTokens: r.cache_write_1h_tokens ?? 0,
    cacheReadTokens: r.cache_read_tokens ?? 0,
    costNanos: r.cost_nanos ?? 0,
    reportedCostNanos: r.reported_cost_nanos ?? 0,
    ...(r.last_activity_at === null ? {} : { lastActivityAt: r.last_activity_at }),
    resetAt: r.reset_at ?? r.created_at,
  };
}

/** A row of `allowances`: a `key:` budget's period, its settled spend and what is reserved against it. */
export interface AllowanceRow {
  budget_id: number;
  period_key: string;
  spent_nanos: number;
  reserved_nanos: number;
}

/** The refusal of an admission by the budget of `check`, with its figures. */
export function refusal(check: AllowanceCheck, row: Pick<AllowanceRow, 'spent_nanos' | 'reserved_nanos'>): AdmitResult {
  return { admitted: false, budgetId: check.budgetId, limitNanos: check.limitNanos, spentNanos: row.spent_nanos, reservedNanos: row.reserved_nanos };
}

/** The budget ids a reservation was taken against, as stored (a JSON array). */
export function settledBudgetIds(stored: string): number[] {
  const ids: unknown = JSON.parse(stored);
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
}

export function keyExists(namespace: string, name: string): TokenledgerError {
  return new TokenledgerError('KEY_EXISTS', `a gateway key named ${name} already exists in the namespace ${namespace}`, {
    hint: 'choose another name (a revoked key keeps its name, so its history stays its own)',
  });
}
