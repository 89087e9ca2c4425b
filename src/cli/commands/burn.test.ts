import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // Daily buckets end at 12:15 (the end of the current quarter hour) and count back 14 days.
  await ledger.record([
    { occurredAt: Date.UTC(2025, 9, 10, 10), costNanos: 9 * USD }, // latest bucket
    { occurredAt: Date.UTC(2025, 9, 8, 10), costNanos: 2 * USD },
    { occurredAt: Date.UTC(2025, 9, 5, 10), costNanos: 4 * USD },
    { occurredAt: Date.UTC(2025, 8, 1, 10), costNanos: 100 * USD }, // before the lookback
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });

describe('burn', () => {
  it('compares the latest bucket with the mean of the earlier non-empty ones', async () => {
    const r = await run(['burn', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.buckets).toHaveLength(14);
    expect(body.buckets[13]).toEqual({ since: '2025-10-09T12:15:00.000Z', until: '2025-10-10T12:15:00.000Z', cost_usd: 9 });
    expect(body.buckets[11]).toEqual({ since: '2025-10-07T12:15:00.000Z', until: '2025-10-08T12:15:00.000Z', cost_usd: 2 });
    // Baseline: the mean of $2 and $4 (empty days left out) = $3; $9 is 200% above it.
    expect([body.latest_usd, body.baseline_usd, body.earlier_buckets_with_spend, body.acceleration_pct, body.status]).toEqual([9, 3, 2, 200, 'ok']);
  });

  it('alerts only when the acceleration is strictly above the limit', async () => {
    expect((await run(['burn', '--alert-on-acceleration-pct', '200'])).code).toBe(0);
    const r = await run(['burn', '--alert-on-acceleration-pct', '199.9']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ALERT: latest 1d: $9.00, 200.0% vs the mean $3.00');
  });

  it('is insufficient, not an alert, without an earlier bucket with spend', async () => {
    const r = await run(['burn', '--lookback', '2d', '--alert-on-acceleration-pct', '0', '--json']);
    expect([r.code, JSON.parse(r.stdout).status, JSON.parse(r.stdout).acceleration_pct]).toEqual([0, 'insufficient', null]);
  });

  it('uses hour buckets when asked', async () => {
    const body = JSON.parse((await run(['burn', '--bucket', '6h', '--lookback', '1d', '--json'])).stdout);
    expect(body.buckets.map((b: any) => b.cost_usd)).toEqual([0, 0, 0, 9]);
  });

  it('exits 2 when the bucket is longer than the lookback, or a duration is bad', async () => {
    const long = await run(['burn', '--bucket', '15d', '--lookback', '14d']);
    expect([long.code, long.stderr]).toEqual([2, expect.stringContaining('the bucket (15d) is longer than the lookback (14d)')]);
    expect((await run(['burn', '--bucket', 'daily'])).code).toBe(2);
    expect((await run(['burn', '--alert-on-acceleration-pct', 'lots'])).code).toBe(2);
  });
});
