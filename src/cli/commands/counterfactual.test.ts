import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    // Opus 4.5 ($5 in, $25 out per million): 1,000,000 in + 100,000 out = $5 + $2.50 = $7.50.
    { occurredAt: NOW - 3_600_000, model: 'claude-opus-4-5', inputTokens: 1_000_000, outputTokens: 100_000, costNanos: 7.5 * USD },
    // Sonnet 4.5 ($3 / $15): 100,000 in + 10,000 out = $0.30 + $0.15 = $0.45.
    { occurredAt: NOW - 7_200_000, model: 'claude-sonnet-4-5', inputTokens: 100_000, outputTokens: 10_000, costNanos: 0.45 * USD },
    // No price known: left out of both sides.
    { occurredAt: NOW - 7_200_000, model: 'mystery-model', provider: 'nobody', inputTokens: 5_000, costNanos: 0, unpriced: true },
    // Before --since.
    { occurredAt: NOW - 40 * 86_400_000, model: 'claude-opus-4-5', inputTokens: 1_000, costNanos: 0.005 * USD },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });

describe('counterfactual', () => {
  it('re-prices the same requests per request, long-context tiers included', async () => {
    const r = await run(['counterfactual', '--baseline', 'claude-haiku-4-5,claude-sonnet-4-5', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect([body.actual_usd, body.requests, body.left_out]).toEqual([7.95, 2, { requests: 1, models: ['mystery-model'] }]);
    // Haiku 4.5 ($1 / $5): $1.00 + $0.50 + $0.10 + $0.05 = $1.65 → saving −$6.30: over-escalation.
    // Sonnet 4.5: the 1,000,000-token prompt is above 200k, so that request pays $6 / $22.50:
    // $6.00 + $2.25 + $0.45 = $8.70 → saving $0.75, 8.62% of the baseline.
    const [haiku, sonnet] = body.baselines;
    expect(haiku).toEqual(expect.objectContaining({ baseline: 'claude-haiku-4-5', cost_usd: 1.65, over_escalation: true, exact: true }));
    expect(haiku.savings_usd).toBeCloseTo(-6.3, 9);
    expect(haiku.savings_pct).toBeCloseTo((-6.3 / 1.65) * 100, 9);
    expect(sonnet).toEqual(expect.objectContaining({ baseline: 'claude-sonnet-4-5', cost_usd: 8.7, over_escalation: false }));
    expect(sonnet.savings_usd).toBeCloseTo(0.75, 9);
    expect(sonnet.savings_pct).toBeCloseTo((0.75 / 8.7) * 100, 9);
  });

  it('names the model each family baseline stands for, and prints a table', async () => {
    const body = JSON.parse((await run(['counterfactual', '--json'])).stdout);
    expect(body.baselines.map((b: any) => b.baseline)).toEqual(['always-haiku', 'always-sonnet', 'always-opus']);
    for (const b of body.baselines) expect(b.model).toMatch(new RegExp(`^claude-${b.baseline.slice(7)}-\\d`));
    const table = await run(['counterfactual', '--baseline', 'always-haiku']);
    expect(table.stdout).toContain('over-escalation');
    expect(table.stdout).toContain('Left out: 1 requests of models without a price (mystery-model)');
  });

  it('exits 2 on unknown baselines', async () => {
    for (const [baseline, message] of [
      ['always-gpt', 'unknown baseline "always-gpt"'],
      ['no-such-model-x', 'no price is known for the model "no-such-model-x"'],
      [',', '--baseline expects'],
    ]) {
      const r = await run(['counterfactual', '--baseline', baseline as string]);
      expect([r.code, r.stderr.includes(message as string)], baseline).toEqual([2, true]);
    }
  });
});
