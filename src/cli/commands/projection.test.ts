import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // $14 in the last 7 days ($2/day); $50 earlier this month: $64 spent in October.
  await ledger.record([
    { occurredAt: NOW - DAY, costNanos: 7 * USD },
    { occurredAt: NOW - 3 * DAY, costNanos: 7 * USD },
    { occurredAt: Date.UTC(2025, 9, 1, 9), costNanos: 50 * USD },
  ]);
});
afterEach(() => ledger.remove());

// `budget set` reads no logs; everything else is told not to.
const run = (args: string[]) => runCliOn(ledger, args[0] === 'budget' ? args : [...args, '--no-sync'], { now: NOW });
const json = async (args: string[]): Promise<{ code: number; body: any }> => {
  const r = await run([...args, '--json']);
  return { code: r.code, body: JSON.parse(r.stdout) };
};

describe('projection', () => {
  it('projects the window’s daily rate over each horizon', async () => {
    const { code, body } = await json(['projection']);
    expect(code).toBe(0);
    expect([body.window, body.spent_usd, body.usd_per_day]).toEqual(['7d', 14, 2]);
    expect(body.horizons).toEqual([
      { horizon: '7d', days: 7, projected_usd: 14 },
      { horizon: '30d', days: 30, projected_usd: 60 },
      { horizon: '90d', days: 90, projected_usd: 180 },
      { horizon: '365d', days: 365, projected_usd: 730 },
    ]);
    expect(body.budgets).toEqual([]);
    // A 2-day window holds $7: $3.50/day.
    expect((await json(['projection', '--window', '2d', '--horizons', '10d'])).body.horizons).toEqual([{ horizon: '10d', days: 10, projected_usd: 35 }]);
  });

  it('says when each budget reaches 75, 90 and 100%, within its period or not', async () => {
    await run(['budget', 'set', '100', '--period', 'month']);
    await run(['budget', 'set', '1', '--period', 'today']);
    const { code, body } = await json(['projection']);
    expect(code).toBe(0);
    const month = body.budgets.find((b: any) => b.period === 'month');
    // $64 of $100 at $2/day: 75% in (75 − 64)/2 = 5.5 days, 90% in 13, 100% in 18 (before November).
    expect(month.thresholds).toEqual([
      { pct: 75, state: 'projected', days: 5.5, at: '2025-10-16T00:00:00.000Z' },
      { pct: 90, state: 'projected', days: 13, at: '2025-10-23T12:00:00.000Z' },
      { pct: 100, state: 'projected', days: 18, at: '2025-10-28T12:00:00.000Z' },
    ]);
    const today = body.budgets.find((b: any) => b.period === 'today');
    // Nothing spent today, $1 budget at $2/day: 75% in 9 hours; 100% exactly at midnight, when the day resets.
    expect(today.thresholds.map((t: any) => [t.pct, t.state, t.days])).toEqual([
      [75, 'projected', 0.375],
      [90, 'projected', 0.45],
      [100, 'not-this-period', 0.5],
    ]);
    expect((await run(['projection'])).stdout).toContain('in 18.0 days (2025-10-28)');
  });

  it('alerts when a budget runs out within --alert-days-to-exhaust days, or already has', async () => {
    await run(['budget', 'set', '100', '--period', 'month']);
    expect((await run(['projection', '--alert-days-to-exhaust', '18'])).code).toBe(0);
    expect((await run(['projection', '--alert-days-to-exhaust', '18.5'])).code).toBe(1);
    await run(['budget', 'set', '60', '--period', 'month']);
    const used = await json(['projection', '--alert-days-to-exhaust', '1']);
    expect([used.code, used.body.budgets[0].thresholds[2].state, used.body.alert]).toEqual([1, 'reached', true]);
  });

  it('refuses bad durations with exit 2', async () => {
    for (const [args, message] of [
      [['projection', '--window', '7x'], '--window expects a duration'],
      [['projection', '--horizons', '7d,soon'], '--horizons expects a duration'],
      [['projection', '--alert-days-to-exhaust', 'soon'], '--alert-days-to-exhaust expects a number'],
    ] as const) {
      const r = await run([...args]);
      expect([r.code, r.stderr.includes(message)], args.join(' ')).toEqual([2, true]);
    }
  });
});
