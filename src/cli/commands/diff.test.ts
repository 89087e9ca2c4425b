import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const USD = 1e9;

let ledger: FixtureLedger;
let baseline: string;
let current: string;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // Baseline: $10 of Sonnet input. Current adds $5 of Opus output: total +50%, +$5.
  await ledger.record([{ occurredAt: NOW - 3_600_000, model: 'claude-sonnet-4-5', inputTokens: 3_333_333, costNanos: 10 * USD }], 'a');
  baseline = join(ledger.dir, 'baseline.json');
  writeFileSync(baseline, (await runCliOn(ledger, ['summary', '--json', '--no-sync'], { now: NOW })).stdout);
  await ledger.record([{ occurredAt: NOW - 1_800_000, model: 'claude-opus-4-5', outputTokens: 200_000, costNanos: 5 * USD }], 'b');
  current = join(ledger.dir, 'current.json');
  writeFileSync(current, (await runCliOn(ledger, ['summary', '--json', '--no-sync'], { now: NOW })).stdout);
});
afterEach(() => ledger.remove());

const diff = (...args: string[]) => runCliOn(ledger, ['diff', '--baseline', baseline, '--current', current, ...args], { now: NOW });

describe('diff', () => {
  it('compares two summary snapshots per tier, model and token class, largest change first', async () => {
    const r = await diff('--json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.total).toEqual({ key: 'total', baseline_usd: 10, current_usd: 15, delta_usd: 5, delta_pct: 50 });
    expect(body.byTier.slice(0, 2)).toEqual([
      { key: 'opus', baseline_usd: 0, current_usd: 5, delta_usd: 5, delta_pct: null },
      { key: 'haiku', baseline_usd: 0, current_usd: 0, delta_usd: 0, delta_pct: null },
    ]);
    expect(body.byModel[0]).toEqual({ key: 'claude-opus-4-5', baseline_usd: 0, current_usd: 5, delta_usd: 5, delta_pct: null });
    expect(body.byTokenClass[0]).toEqual({ key: 'output', baseline_usd: 0, current_usd: 5, delta_usd: 5, delta_pct: null });
    expect(body.alerts).toEqual([]);
  });

  it('exits 1 when growth passes a limit, strictly', async () => {
    expect((await diff('--alert-on-pct', '50')).code).toBe(0);
    const pct = await diff('--alert-on-pct', '49.9');
    expect([pct.code, pct.stderr]).toEqual([1, 'alert: total cost grew 50.0% ($10.00 → $15.00), above the 49.9% limit\n']);
    expect((await diff('--alert-on-usd', '5')).code).toBe(0);
    expect((await diff('--alert-on-usd', '4.99')).code).toBe(1);
    // Output grew from $0: above any percentage.
    const cls = await diff('--alert-on-class-pct', 'input:10,output:1000', '--json');
    expect([cls.code, JSON.parse(cls.stdout).alerts.map((a: any) => [a.kind, a.key])]).toEqual([1, [['class-pct', 'output']]]);
    expect((await diff('--alert-on-class-pct', 'input:0')).code).toBe(0);
  });

  it('exits 2 with the reason on a missing or malformed snapshot, or bad limits', async () => {
    const bad = join(ledger.dir, 'bad.json');
    const cases: [string[], string][] = [
      [['--baseline', join(ledger.dir, 'missing.json'), '--current', current], 'missing.json: cannot read it'],
      [['--baseline', baseline, '--current', current, '--alert-on-class-pct', 'tokens:5'], 'unknown token class "tokens"'],
      [['--baseline', baseline, '--current', current, '--alert-on-pct', 'ten'], '--alert-on-pct expects a number'],
      [['--baseline', baseline], "required option '--current <file>' not specified"],
    ];
    for (const [args, message] of cases) {
      const r = await runCliOn(ledger, ['diff', ...args], { now: NOW });
      expect([r.code, r.stderr.includes(message)], args.join(' ')).toEqual([2, true]);
    }
    for (const [text, message] of [
      ['{"total_cost_usd": 1', 'not valid JSON'],
      ['[]', '$ must be an object'],
      ['{"total_cost_usd": -1, "byTier": {}, "byModel": {}, "byTokenClass": {"input": 0, "output": 0, "cache_write": 0, "cache_read": 0}}', '$.total_cost_usd must be a number of USD ≥ 0'],
      ['{"total_cost_usd": 1, "byTier": {}, "byModel": {"m": {}}, "byTokenClass": {"input": 0, "output": 0, "cache_write": 0, "cache_read": 0}}', '$.byModel.m.cost_usd is missing'],
    ]) {
      writeFileSync(bad, text as string);
      const r = await runCliOn(ledger, ['diff', '--baseline', baseline, '--current', bad], { now: NOW });
      expect([r.code, r.stderr.includes(message as string)], text).toEqual([2, true]);
    }
  });
});
