import { describe, expect, it } from 'vitest';
import { meterJson } from './meter-json.js';

describe('meterJson', () => {
  it("gives the metering gateways' fields from the disjoint buckets, dollars from nanos", () => {
    const meter = {
      namespace: 'cost-tracking',
      name: 'alice',
      promptCount: 3,
      inputTokens: 100,
      outputTokens: 40,
      reasoningTokens: 10,
      cacheWrite5mTokens: 20,
      cacheWrite1hTokens: 5,
      cacheReadTokens: 1_000,
      costNanos: 1_234_567_890,
      reportedCostNanos: 1_300_000_000,
      lastActivityAt: 1_767_225_600_000,
      resetAt: 1_767_000_000_000,
    };
    expect(meterJson(meter, { revokedAt: 1 })).toEqual({
      name: 'alice',
      revoked: true,
      prompt_count: 3,
      total_prompt_tokens: 1_125,
      total_completion_tokens: 40,
      total_tokens: 1_165,
      total_cost_usd: 1.23456789,
      cached_tokens: 1_000,
      last_activity_at: 1_767_225_600_000,
      input_tokens: 100,
      output_tokens: 40,
      reasoning_tokens: 10,
      cache_write_5m_tokens: 20,
      cache_write_1h_tokens: 5,
      cache_read_tokens: 1_000,
      cost_nanos: 1_234_567_890,
      reported_cost_usd: 1.3,
      reset_at: 1_767_000_000_000,
    });
    const { lastActivityAt: _, ...idle } = meter;
    expect(meterJson(idle)).toMatchObject({ revoked: false, last_activity_at: null });
  });
});
