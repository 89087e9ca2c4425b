import { describe, expect, it } from 'vitest';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import type { Prepared } from './provider.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, reservationFor } from './reservation.js';

const T = Date.UTC(2026, 2, 10, 12);

function prepared(model: string, maxOutputTokens: number | undefined, serviceTier?: string): Prepared {
  return {
    model,
    stream: false,
    body: Buffer.alloc(0),
    maxOutputTokens,
    ...(serviceTier === undefined ? {} : { serviceTier }),
    reader: () => ({ write: (chunk) => chunk, end: () => undefined }),
  };
}

describe('reservation', () => {
  it('bounds the prompt by the body bytes at the dearest prompt rate and the output by its limit at the dearest output rate', async () => {
    // A model priced by config: a long-context tier that doubles every rate, a one-hour cache write above input.
    const table = await new Pricer(
      new PriceOverrides({
        'test-model': {
          input: 3,
          output: 15,
          cacheWrite5m: 3.75,
          cacheWrite1h: 6,
          cacheRead: 0.3,
          tiers: [{ aboveTokens: 200_000, input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 }],
        },
      }),
    ).table();
    const amount = reservationFor(table, 'anthropic', prepared('test-model', 1000), 10_000, T);
    // 10,000 bytes × $12/MTok (tier's 1h write) + 1,000 × $22.5/MTok.
    expect(amount).toEqual({ amountNanos: 10_000 * 12_000 + 1000 * 22_500 });
    const unbounded = reservationFor(table, 'anthropic', prepared('test-model', undefined), 0, T);
    expect(unbounded).toEqual({ amountNanos: DEFAULT_MAX_OUTPUT_TOKENS * 22_500 });
  });

  it('prices the service tier asked for, and cannot bound a model without a price', async () => {
    const table = await new Pricer(new PriceOverrides({ 'test-model': { input: 1, output: 2, serviceTiers: { priority: 2 } } })).table();
    expect(reservationFor(table, 'openai', prepared('test-model', 10, 'priority'), 100, T)).toEqual({ amountNanos: 100 * 2_000 + 10 * 4_000 });
    expect(reservationFor(table, 'openai', prepared('no-such-model-xyz', 10), 100, T)).toEqual({ unpriced: 'no-such-model-xyz' });
  });
});
