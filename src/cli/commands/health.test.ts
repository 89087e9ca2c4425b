import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // Five calm days of $1 in five sessions, then $10 today in a sixth.
  await ledger.record([1, 2, 3, 4, 5].map((d) => ({ occurredAt: NOW - d * DAY, costNanos: 1 * USD, sessionId: `calm${d}` })));
  await ledger.record([{ occurredAt: NOW - 3_600_000, costNanos: 10 * USD, sessionId: 'hot' }], 'today');
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, args[0] === 'budget' ? args : [...args, '--no-sync'], { now: NOW });

describe('health', () => {
  it('runs budget, burn, anomaly and projection and exits with the highest exit code', async () => {
    await run(['budget', 'set', '100']);
    const r = await run(['health', '--json']);
    const body = JSON.parse(r.stdout);
    expect(body.checks.map((c: any) => [c.check, c.status, c.exitCode])).toEqual([
      ['budget', 'ok', 0],
      // $10 against a $1 mean: +900% > 100%.
      ['burn', 'alert', 1],
      // Costs 1,1,1,1,1,10: MAD 0, insufficient rather than an alert.
      ['anomaly', 'ok', 0],
      // $15 of $100 spent; $14 in 7 days is $2/day: 100% in 42.5 days, past the month.
      ['projection', 'ok', 0],
    ]);
    expect([r.code, body.status, body.exitCode]).toEqual([1, 'alert', 1]);
    expect(body.checks[1].result.acceleration_pct).toBe(900);
    const table = await run(['health']);
    expect(table.stdout).toContain('Health of namespace cost-tracking: ALERT');
  });

  it('takes the alert limits and leaves out skipped checks', async () => {
    expect((await run(['health', '--alert-acceleration', '900'])).code).toBe(0);
    const skipped = JSON.parse((await run(['health', '--skip', 'burn,anomaly', '--json'])).stdout);
    expect(skipped.checks.map((c: any) => c.status)).toEqual(['ok', 'skipped', 'skipped', 'ok']);
    await run(['budget', 'set', '12']);
    // $15 of $12: HARD_STOP (budget, exit 1) and used up (projection within 14 days).
    const over = JSON.parse((await run(['health', '--skip', 'burn', '--json'])).stdout);
    expect(over.checks.map((c: any) => [c.check, c.exitCode])).toEqual([
      ['budget', 1],
      ['burn', null],
      ['anomaly', 0],
      ['projection', 1],
    ]);
  });

  it('exits 2 on bad flags', async () => {
    for (const args of [
      ['--skip', 'budget,weather'],
      ['--alert-outliers', '0'],
      ['--alert-acceleration', 'fast'],
      ['--alert-days-to-exhaust', '-1'],
    ]) {
      const r = await run(['health', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
