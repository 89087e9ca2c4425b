import { PICOS_PER_NANO } from '../core/money.js';
import type { Rates } from '../pricing/model-price.js';
import type { PriceTable } from '../pricing/price-table.js';
import type { Prepared } from './provider.js';

/** Output tokens assumed when a request names no limit and the price data knows none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 128_000;

export type ReservationAmount = { amountNanos: number } | { unpriced: string };

/**
 * The most a request can cost, reserved against its key's budgets before it is sent: every byte
 * of the body as a prompt token (a token is never less than a byte of the JSON carrying it), at
 * the dearest prompt rate the model has (long-context tier, one-hour cache write, the requested
 * service tier), plus its output limit at the dearest output rate. A model without a price cannot
 * be bounded: the request is refused.
 */
export function reservationFor(table: PriceTable, provider: string, prepared: Prepared, bodyBytes: number, at: number): ReservationAmount {
  const priced = table.priceAt(prepared.model, provider, at, prepared.serviceTier);
  if (priced === undefined) return { unpriced: prepared.model };
  const all: Rates[] = [priced.price.base, ...priced.price.tiers.map((t) => t.rates)];
  const promptRate = Math.max(...all.flatMap((r) => [r.input, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead]));
  const outputRate = Math.max(...all.map((r) => r.output));
  const outputTokens = prepared.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const picos = BigInt(bodyBytes) * BigInt(promptRate) + BigInt(outputTokens) * BigInt(outputRate);
  const nanos = (picos + BigInt(PICOS_PER_NANO - 1)) / BigInt(PICOS_PER_NANO);
  return { amountNanos: Number(nanos) };
}
