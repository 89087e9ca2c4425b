import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // Session costs $1, $2, $3, $4, $100: median 3, |x − 3| = 2, 1, 0, 1, 97 → MAD 1;
  // z($100) = 0.6745 · 97 / 1 = 65.43, z($1) = −1.349.
  await ledger.record([1, 2, 3, 4, 100].map((usd, i) => ({ occurredAt: NOW - (i + 1) * DAY, costNanos: usd * USD, sessionId: `s${usd}` })));
  await ledger.record([{ occurredAt: NOW - 60 * DAY, costNanos: 1000 * USD, sessionId: 'old' }], 'old');
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });

describe('anomaly', () => {
  it('flags sessions by modified z-score over the period', async () => {
    const r = await run(['anomaly', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect([body.sessions, body.status, body.median_usd, body.mad_usd]).toEqual([5, 'ok', 3, 1]);
    expect(body.outliers).toHaveLength(1);
    expect(body.outliers[0]).toEqual(expect.objectContaining({ sessionId: 's100', agent: 'claude-code', cost_usd: 100, messages: 1 }));
    expect(body.outliers[0].z).toBeCloseTo(65.4265, 4);
    // A threshold of 1.3 also flags $1 (|z| = 1.349).
    expect(JSON.parse((await run(['anomaly', '--threshold', '1.3', '--json'])).stdout).outliers.map((o: any) => o.sessionId)).toEqual(['s100', 's1']);
  });

  it('exits 1 at --alert-on-outliers or more', async () => {
    expect((await run(['anomaly', '--alert-on-outliers', '1'])).code).toBe(1);
    expect((await run(['anomaly', '--alert-on-outliers', '2'])).code).toBe(0);
  });

  it('reports fewer than 3 sessions or a MAD of 0 as insufficient, never as an alert', async () => {
    const few = await run(['anomaly', '--since', '2d', '--alert-on-outliers', '1', '--json']);
    expect([few.code, JSON.parse(few.stdout).status, JSON.parse(few.stdout).reason]).toEqual([0, 'insufficient', 'fewer than 3 sessions']);
    const same = new FixtureLedger();
    try {
      await same.record([5, 5, 5, 9].map((usd, i) => ({ occurredAt: NOW - DAY, costNanos: usd * USD, sessionId: `x${i}` })));
      const r = await runCliOn(same, ['anomaly', '--no-sync', '--alert-on-outliers', '1'], { now: NOW });
      expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('MAD is 0')]);
    } finally {
      same.remove();
    }
  });

  it('refuses a threshold of zero or less, saying it must be greater than 0', async () => {
    const r = await run(['anomaly', '--threshold', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--threshold expects a number greater than 0 and at most 1000000, got "-1"');
  });

  it('exits 2 on bad flags', async () => {
    for (const args of [
      ['--threshold', '0'],
      ['--threshold', 'x'],
      ['--alert-on-outliers', '0'],
      ['--since', 'yesterday'],
    ]) {
      expect((await run(['anomaly', ...args])).code, args.join(' ')).toBe(2);
    }
  });
});
