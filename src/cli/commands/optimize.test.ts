import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;

// Prices pinned in the config (USD per million tokens) so the figures below do not move with the
// bundled catalog: patterns, so they also price whichever Sonnet is the catalog's newest.
const PRICES = {
  'claude-opus-*': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  'claude-sonnet-*': {
    input: 3,
    output: 15,
    cacheWrite5m: 3.75,
    cacheWrite1h: 6,
    cacheRead: 0.3,
    tiers: [{ aboveTokens: 200_000, input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 }],
  },
  'claude-haiku-*': { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
};

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
  ledger.write('config/tokenledger/config.json', JSON.stringify({ prices: PRICES }));
});
afterEach(() => ledger.remove());

const cli = (args: string[]) => runCliOn(ledger, ['optimize', '--no-sync', ...args], { now: NOW });
const json = async (args: string[] = []): Promise<Record<string, any>> => {
  const r = await cli(['--json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, any>;
};

const opusTiny = (i: number) => ({ occurredAt: NOW - 2 * DAY + i * 60_000, sessionId: 'opus-tiny', model: 'claude-opus-4-5', inputTokens: 2_000, outputTokens: 200, costNanos: 15_000_000 });

async function recordWeek(): Promise<void> {
  await ledger.record([
    // An Opus session with tiny outputs and no cache reuse: 4 requests of 2,000 input ($0.01) + 200 output ($0.005) = $0.015 each.
    // On Sonnet: 2,000×3 + 200×15 = $0.009 each; saving 4 × $0.006 = $0.024.
    // Cache: 8,000 uncached input tokens, 0% read; as cache reads 8,000 × (5 − 0.5) = $0.036 (the upper bound).
    ...[0, 1, 2, 3].map(opusTiny),
    // A Sonnet session with one-hour cache writes (mean output 2,000: not small).
    // 1,000×3 + 2,000×15 + 10,000×6 (1h) + 50,000×0.3 = 0.003 + 0.03 + 0.06 + 0.015 = $0.108.
    { occurredAt: NOW - DAY, sessionId: 'sonnet-1h', inputTokens: 1_000, outputTokens: 2_000, cacheWrite1hTokens: 10_000, cacheReadTokens: 50_000, costNanos: 108_000_000 },
    // The same with five-minute writes: 0.003 + 0.03 + 10,000×3.75 + 0.015 = $0.0855.
    // 1h premium: 10,000 × (6 − 3.75) = $0.0225; 1h writes are $0.06 of $0.0975 write spend (62%).
    { occurredAt: NOW - DAY + 60_000, sessionId: 'sonnet-1h', inputTokens: 1_000, outputTokens: 2_000, cacheWrite5mTokens: 10_000, cacheReadTokens: 50_000, costNanos: 85_500_000 },
    // A 205,000-token prompt on a tiered model: 5,000×6 + 200,000×0.6 + 1,000×22.5 = 0.03 + 0.12 + 0.0225 = $0.1725;
    // at base rates 0.015 + 0.06 + 0.015 = $0.09; surcharge $0.0825.
    { occurredAt: NOW - 3 * DAY, sessionId: 'long', inputTokens: 5_000, cacheReadTokens: 200_000, outputTokens: 1_000, costNanos: 172_500_000 },
    // Outside the 30 days, and in another namespace: neither counts by default.
    { ...opusTiny(0), occurredAt: NOW - 40 * DAY, sessionId: 'old-opus' },
    { ...opusTiny(0), sessionId: 'ci-opus', namespace: 'ci' },
  ]);
}

describe('tokenledger optimize', () => {
  it('measures every recommendation on the ledger, largest saving first', async () => {
    await recordWeek();
    const body = await json();
    expect([body.namespace, body.since, body.until]).toEqual(['cost-tracking', '2025-09-10T12:00:00.000Z', '2025-10-10T12:00:00.000Z']);
    expect(body.total_cost_usd).toBe(0.426); // 0.06 + 0.1935 + 0.1725
    expect(body.unpriced_requests).toBe(0);
    expect(body.recommendations.map((r: any) => [r.id, r.savings_usd])).toEqual([
      ['long-context', 0.0825],
      ['cache-hit-ratio', 0.036],
      ['downgrade', 0.024],
      ['cache-1h', 0.0225],
    ]);
    const [long, cache, down, oneHour] = body.recommendations;

    expect(long.evidence).toEqual({
      requests: 1,
      sessions: 1,
      above_tokens: 200_000,
      recorded_usd: 0.1725,
      tier_price_usd: 0.1725,
      base_price_usd: 0.09,
      exact: true,
      by_model: [{ model: 'claude-sonnet-4-5', above_tokens: 200_000, requests: 1, savings_usd: 0.0825 }],
    });

    // Overall 300,000 reads of 335,000 prompt tokens (90%); Sonnet 300,000 of 327,000 (92%) is fine, Opus (0%) is not.
    expect(cache.title).toBe('Cache hit ratio 90%; 1 model below 80%');
    expect(cache.detail).toContain('below 80%: claude-opus-4-5 0%.');
    expect(cache.evidence).toMatchObject({ level: 0.8, ratio: 300_000 / 335_000, prompt_tokens: 335_000, cache_read_tokens: 300_000 });
    expect(cache.evidence.by_model.map((m: any) => [m.model, m.ratio, m.savings_usd])).toEqual([
      ['claude-opus-4-5', 0, 0.036],
      ['claude-sonnet-4-5', 300_000 / 327_000, 0],
    ]);

    expect(down.evidence).toMatchObject({ small_output_tokens: 500, sessions: 1, requests: 4, recorded_usd: 0.06, repriced_usd: 0.036, exact: true });
    expect(down.evidence.top_sessions).toEqual([
      {
        agent: 'claude-code',
        session_id: 'opus-tiny',
        model: 'claude-opus-4-5',
        target_model: expect.stringMatching(/^claude-sonnet-/),
        requests: 4,
        mean_output_tokens: 200,
        recorded_usd: 0.06,
        repriced_usd: 0.036,
        savings_usd: 0.024,
      },
    ]);

    expect(oneHour.evidence).toEqual({
      cache_write_1h_tokens: 10_000,
      cache_write_5m_tokens: 10_000,
      write_1h_usd: 0.06,
      write_usd: 0.0975,
      share_1h: 60_000_000 / 97_500_000,
      by_model: [{ model: 'claude-sonnet-4-5', cache_write_1h_tokens: 10_000, savings_usd: 0.0225 }],
    });
    expect(oneHour.title).toBe('One-hour cache writes: 62% of write spend');
  });

  it('takes --since, --small-output and --namespace', async () => {
    await recordWeek();
    // 60 days take in the old Opus session too: two sessions, $0.030 saved.
    const wider = await json(['--since', '60d']);
    expect(wider.recommendations.find((r: any) => r.id === 'downgrade').evidence).toMatchObject({ sessions: 2, requests: 5 });
    expect(wider.recommendations.find((r: any) => r.id === 'downgrade').savings_usd).toBe(0.03);
    // A mean of 200 output tokens is not below 200.
    expect((await json(['--small-output', '200'])).recommendations.map((r: any) => r.id)).not.toContain('downgrade');
    const ci = await json(['--namespace', 'ci']);
    expect([ci.total_cost_usd, ci.recommendations.map((r: any) => [r.id, r.savings_usd])]).toEqual([
      0.015,
      [
        ['cache-hit-ratio', 0.009],
        ['downgrade', 0.006],
      ],
    ]);
  });

  it('prints one line per recommendation, the downgrade sessions and the details', async () => {
    await recordWeek();
    const r = await cli(['--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("### Recommendations since 2025-09-10 12:00 (spend $0.43; savings at today's prices)");
    expect(r.stdout).toContain('| 1 | Long context: 1 request above 200,000 tokens<br>→ compact or clear the context earlier | $0.08 |');
    expect(r.stdout).toContain('### Sessions averaging under 500 output tokens per request\n');
    expect(r.stdout).toMatch(/\| opus-tiny +\| claude-code \| claude-opus-4-5 \| claude-sonnet-\S+ +\| 4 \| 200 \| \$0\.06 \| \$0\.04 \| \$0\.02 \|/);
    expect(r.stdout).toContain('3. 4 requests in 1 session averaged under 500 output tokens per request');
    const table = await cli([]);
    expect(table.stdout).toMatch(/│ 4 │ One-hour cache writes: 62% of write spend +│ +\$0\.02 │\n│ +│ → write five-minute caches unless turns pause longer +│ +│/);
  });

  it('shows what fast mode cost over standard: recorded cost minus the same requests at standard rates', async () => {
    // Opus 4.6 in fast mode, 6 × standard: 10,000 × $5 + 1,000 × $25 per million = $0.075 standard, $0.45 recorded.
    const fast = { occurredAt: NOW - DAY, sessionId: 'fast', model: 'claude-opus-4-6', serviceTier: 'fast', inputTokens: 10_000, outputTokens: 1_000, costNanos: 450_000_000 };
    await ledger.record([fast, { ...fast, occurredAt: NOW - DAY + 60_000 }, { ...fast, occurredAt: NOW - DAY + 120_000, serviceTier: undefined, costNanos: 75_000_000 }]);
    const tier = (await json()).recommendations.find((r: any) => r.id === 'service-tier');
    expect(tier.savings_usd).toBeCloseTo(2 * 0.375, 12);
    expect(tier.title).toBe('Fast mode: 2 requests above standard rates');
    expect(tier.evidence).toEqual(expect.objectContaining({ requests: 2, recorded_usd: 0.9, standard_usd: 0.15 }));
    expect(tier.evidence.by_model).toEqual([expect.objectContaining({ service_tier: 'fast', model: 'claude-opus-4-6', requests: 2, premium_usd: 0.75 })]);
    expect((await cli([])).stdout).toContain('Fast mode: 2 requests above standard rates');
  });

  it('says there is nothing to recommend on an empty ledger, and exits 0', async () => {
    const r = await cli([]);
    expect([r.code, r.stdout]).toEqual([0, 'Nothing to recommend: no priced usage in namespace cost-tracking since 2025-09-10 12:00.\n']);
    const body = await json();
    expect([body.total_cost_usd, body.recommendations]).toEqual([0, []]);
    // Requests of a model without a price have no cost to compare: counted, and left out.
    await ledger.record([{ occurredAt: NOW - DAY, model: 'mystery-model', unpriced: true, inputTokens: 5_000, outputTokens: 10, costNanos: 0 }]);
    expect((await cli([])).stdout).toBe('Nothing to recommend: no priced usage in namespace cost-tracking since 2025-09-10 12:00.\nLeft out: 1 request of models without a price.\n');
    expect((await json()).unpriced_requests).toBe(1);
  });

  it('refuses bad flags with exit 2', async () => {
    for (const [args, message] of [
      [['--small-output', 'lots'], '--small-output expects a whole number'],
      [['--small-output', '0'], '--small-output expects a whole number'],
      [['--since', 'last tuesday'], '--since expects'],
      [['--format', 'yaml'], 'Allowed choices are'],
      [['--namespace', 'no spaces'], 'invalid namespace'],
    ] as const) {
      const r = await cli([...args]);
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr).toContain(message);
    }
  });
});
