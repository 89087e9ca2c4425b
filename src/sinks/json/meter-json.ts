import { nanosToUsd } from '../../core/money.js';
import type { GatewayKey, KeyMeter } from '../../ledger/gateway-keys.js';

/**
 * A key's meter as JSON: what `keys usage --json` prints and the gateway's admin API answers (one
 * function, so both are one shape). The metering gateways' field names (`prompt_count`,
 * `total_prompt_tokens` = uncached input + cache writes + cache reads, `total_completion_tokens` =
 * output, `total_tokens`, `total_cost_usd`, `cached_tokens` = cache reads, `last_activity_at` in
 * epoch ms), then the ledger's disjoint buckets; dollars only here, at the edge.
 */
export interface MeterJson {
  name: string;
  revoked: boolean;
  prompt_count: number;
  total_prompt_tokens: number;
  total_completion_tokens: number;
  total_tokens: number;
  total_cost_usd: number;
  cached_tokens: number;
  last_activity_at: number | null;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  cost_nanos: number;
  reported_cost_usd: number;
  reset_at: number;
}

export function meterJson(meter: KeyMeter, key?: Pick<GatewayKey, 'revokedAt'>): MeterJson {
  const prompt = meter.inputTokens + meter.cacheWrite5mTokens + meter.cacheWrite1hTokens + meter.cacheReadTokens;
  return {
    name: meter.name,
    revoked: key?.revokedAt !== undefined,
    prompt_count: meter.promptCount,
    total_prompt_tokens: prompt,
    total_completion_tokens: meter.outputTokens,
    total_tokens: prompt + meter.outputTokens,
    total_cost_usd: nanosToUsd(meter.costNanos),
    cached_tokens: meter.cacheReadTokens,
    last_activity_at: meter.lastActivityAt ?? null,
    input_tokens: meter.inputTokens,
    output_tokens: meter.outputTokens,
    reasoning_tokens: meter.reasoningTokens,
    cache_write_5m_tokens: meter.cacheWrite5mTokens,
    cache_write_1h_tokens: meter.cacheWrite1hTokens,
    cache_read_tokens: meter.cacheReadTokens,
    cost_nanos: meter.costNanos,
    reported_cost_usd: nanosToUsd(meter.reportedCostNanos),
    reset_at: meter.resetAt,
  };
}

/** Every key's meter, by name: `keys usage --json` without a name and the admin API's `GET /tokenledger/v1/usage`. */
export function metersJson(namespace: string, meters: readonly KeyMeter[], keys: readonly GatewayKey[]): { namespace: string; keys: MeterJson[] } {
  const byName = new Map(keys.map((k) => [k.name, k]));
  return { namespace, keys: meters.map((m) => meterJson(m, byName.get(m.name))) };
}
