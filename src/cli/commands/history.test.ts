import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    { occurredAt: Date.UTC(2025, 9, 10, 9), costNanos: 4 * USD },
    { occurredAt: Date.UTC(2025, 9, 8, 9), costNanos: 8 * USD },
    { occurredAt: Date.UTC(2025, 8, 20, 9), costNanos: 1 * USD },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });

describe('history', () => {
  it('has a point for every period, idle ones too, and a sparkline', async () => {
    const body = JSON.parse((await run(['history', '--last', '4', '--json'])).stdout);
    expect(body.points).toEqual([
      { day: '2025-10-07', cost_usd: 0, requests: 0 },
      { day: '2025-10-08', cost_usd: 8, requests: 1 },
      { day: '2025-10-09', cost_usd: 0, requests: 0 },
      { day: '2025-10-10', cost_usd: 4, requests: 1 },
    ]);
    expect([body.total_usd, body.sparkline]).toEqual([12, '▁█▁▅']);
    const months = JSON.parse((await run(['history', '--period', 'month', '--last', '2', '--json'])).stdout);
    expect(months.points).toEqual([
      { month: '2025-09', cost_usd: 1, requests: 1 },
      { month: '2025-10', cost_usd: 12, requests: 2 },
    ]);
    const table = (await run(['history', '--last', '4'])).stdout;
    expect(table).toContain('Spend per day, last 4 (UTC)  ▁█▁▅');
    expect(table).toMatch(/2025-10-08 │\s+1 │\s+\$8\.00 │ █{40} │/);
  });

  it('exits 2 on bad flags', async () => {
    expect((await run(['history', '--period', 'year'])).code).toBe(2);
    expect((await run(['history', '--last', 'all'])).code).toBe(2);
  });
});
