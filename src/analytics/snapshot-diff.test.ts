import { describe, expect, it } from 'vitest';
import { diffSnapshots, parseClassAlerts, readSnapshot } from './snapshot-diff.js';
import { thrown } from '../testing/thrown.js';

const USD = 1_000_000_000;

// Baseline $10: tiers 6 + 4, classes 1 + 5 + 2 + 2. Current $13: tiers 5 + 4 + 4, classes 1.5 + 5 + 3.5 + 3.
const baselineJson = {
  exportedAt: '2025-06-01T00:00:00Z',
  total_cost_usd: 10,
  byTier: { opus: 6, sonnet: 4 },
  byModel: { 'claude-opus-4-1': { cost_usd: 6, messages: 3 }, 'claude-sonnet-4-5': { cost_usd: 4 } },
  byTokenClass: { input: 1, output: 5, cache_write: 2, cache_read: 2 },
  sessions: [{ ignored: true }],
};
const currentJson = {
  total_cost_usd: 13,
  byTier: { opus: 5, sonnet: 4, haiku: 4 },
  byModel: { 'claude-opus-4-1': { cost_usd: 5 }, 'claude-sonnet-4-5': { cost_usd: 4 }, 'claude-haiku-4-5': { cost_usd: 4 } },
  byTokenClass: { input: 1.5, output: 5, cache_write: 3.5, cache_read: 3 },
};
const baseline = readSnapshot(baselineJson, 'before.json');
const current = readSnapshot(currentJson, 'after.json');

function snapshot(totalUsd: number, classes: Partial<Record<string, number>> = {}, tiers: Record<string, number> = {}) {
  return readSnapshot({ total_cost_usd: totalUsd, byTier: tiers, byModel: {}, byTokenClass: { input: 0, output: 0, cache_write: 0, cache_read: 0, ...classes } }, 'x.json');
}

describe('readSnapshot', () => {
  it('reads dollars as nanos and ignores extra fields', () => {
    expect(baseline).toEqual({
      name: 'before.json',
      exportedAt: '2025-06-01T00:00:00Z',
      totalNanos: 10 * USD,
      byTierNanos: new Map([
        ['opus', 6 * USD],
        ['sonnet', 4 * USD],
      ]),
      byModelNanos: new Map([
        ['claude-opus-4-1', 6 * USD],
        ['claude-sonnet-4-5', 4 * USD],
      ]),
      byTokenClassNanos: { input: USD, output: 5 * USD, cache_write: 2 * USD, cache_read: 2 * USD },
    });
    expect(current.exportedAt).toBeUndefined();
  });

  it('rounds to the nearest nano', () => {
    // 0.1234567894 USD → 123,456,789.4 nanos → 123,456,789; 0.0000000006 → 0.6 → 1
    expect(snapshot(0.1234567894).totalNanos).toBe(123_456_789);
    expect(snapshot(0.0000000006).totalNanos).toBe(1);
  });

  it('names the file and the JSON path of what is wrong, as BAD_INPUT', () => {
    const cases: [unknown, string][] = [
      [[], 'a.json: $ must be an object, got an array'],
      [null, 'a.json: $ must be an object, got null'],
      [{ ...baselineJson, total_cost_usd: undefined }, 'a.json: $.total_cost_usd is missing'],
      [{ ...baselineJson, total_cost_usd: '10' }, 'a.json: $.total_cost_usd must be a number of USD ≥ 0, got a string'],
      [{ ...baselineJson, total_cost_usd: -1 }, 'a.json: $.total_cost_usd must be a number of USD ≥ 0, got -1'],
      [{ ...baselineJson, byTier: undefined }, 'a.json: $.byTier is missing'],
      [{ ...baselineJson, byTier: [1, 2] }, 'a.json: $.byTier must be an object, got an array'],
      [{ ...baselineJson, byTier: { opus: null } }, 'a.json: $.byTier.opus must be a number of USD ≥ 0, got null'],
      [{ ...baselineJson, byModel: { 'gpt-5': 3 } }, 'a.json: $.byModel["gpt-5"] must be an object, got a number'],
      [{ ...baselineJson, byModel: { 'claude-opus-4-1': { costUsd: 6 } } }, 'a.json: $.byModel["claude-opus-4-1"].cost_usd is missing'],
      [{ ...baselineJson, byTokenClass: { input: 1, output: 5, cache_write: 2 } }, 'a.json: $.byTokenClass.cache_read is missing'],
      [{ ...baselineJson, exportedAt: 1_717_200_000_000 }, 'a.json: $.exportedAt must be a string, got a number'],
    ];
    for (const [value, message] of cases) {
      const error = thrown(() => readSnapshot(value, 'a.json'));
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toBe(message);
    }
  });

  it('does not read inherited properties as fields', () => {
    // "toString" exists on every object's prototype but not in this JSON
    const error = thrown(() => readSnapshot({ ...baselineJson, byModel: { toString: {} } }, 'a.json'));
    expect(error.message).toBe('a.json: $.byModel.toString.cost_usd is missing');
  });
});

describe('diffSnapshots', () => {
  it('lists the union of keys by |delta| descending', () => {
    // total 10 → 13: +$3, +30 %
    // tiers: haiku 0 → 4 (+4, pct null), opus 6 → 5 (−1, −16.67 %), sonnet 4 → 4 (0, 0 %)
    // classes: cache_write 2 → 3.5 (+1.5, +75 %), cache_read 2 → 3 (+1, +50 %), input 1 → 1.5 (+0.5, +50 %), output 5 → 5 (0)
    const diff = diffSnapshots(baseline, current, {});
    expect(diff.total).toEqual({ key: 'total', baselineNanos: 10 * USD, currentNanos: 13 * USD, deltaNanos: 3 * USD, deltaPct: 30 });
    expect(diff.byTier.map((d) => [d.key, d.deltaNanos, d.deltaPct])).toEqual([
      ['haiku', 4 * USD, null],
      ['opus', -USD, expect.closeTo(-100 / 6, 10)],
      ['sonnet', 0, 0],
    ]);
    expect(diff.byModel.map((d) => d.key)).toEqual(['claude-haiku-4-5', 'claude-opus-4-1', 'claude-sonnet-4-5']);
    expect(diff.byModel[0]).toEqual({ key: 'claude-haiku-4-5', baselineNanos: 0, currentNanos: 4 * USD, deltaNanos: 4 * USD, deltaPct: null });
    expect(diff.byTokenClass.map((d) => [d.key, d.deltaNanos, d.deltaPct])).toEqual([
      ['cache_write', 1.5 * USD, 75],
      ['cache_read', USD, 50],
      ['input', 0.5 * USD, 50],
      ['output', 0, 0],
    ]);
    expect(diff.alerts).toEqual([]);
  });

  it('lists a key that disappeared as a negative delta of −100 %', () => {
    // tiers {opus: 2} → {}: opus 2 → 0 = −$2, −100 %
    const diff = diffSnapshots(snapshot(2, {}, { opus: 2 }), snapshot(0), {});
    expect(diff.byTier).toEqual([{ key: 'opus', baselineNanos: 2 * USD, currentNanos: 0, deltaNanos: -2 * USD, deltaPct: -100 }]);
  });

  it('breaks ties in |delta| by key', () => {
    // b +1, a +1, c −1: all |delta| $1 → a, b, c
    const diff = diffSnapshots(snapshot(6, {}, { b: 1, c: 3, a: 2 }), snapshot(7, {}, { b: 2, c: 2, a: 3 }), {});
    expect(diff.byTier.map((d) => [d.key, d.deltaNanos])).toEqual([
      ['a', USD],
      ['b', USD],
      ['c', -USD],
    ]);
  });

  it('fires the total percentage alert strictly above the limit', () => {
    // +30 % > 25 → fires; +30 % is not > 30
    expect(diffSnapshots(baseline, current, { pct: 25 }).alerts).toEqual([
      { kind: 'pct', key: 'total', limit: 25, actual: 30, message: 'total cost grew 30.0% ($10.00 → $13.00), above the 25% limit' },
    ]);
    expect(diffSnapshots(baseline, current, { pct: 30 }).alerts).toEqual([]);
  });

  it('is exact at a whole-percent boundary', () => {
    // $1.00 → $1.20 is +20 %: 0.2e9·100/1e9 = 20 exactly, so a 20 % limit does not fire
    expect(diffSnapshots(snapshot(1), snapshot(1.2), { pct: 20 }).alerts).toEqual([]);
  });

  it('fires the USD alert strictly above the limit', () => {
    // +$3 > $2.50 → fires; +$3 is not > $3
    expect(diffSnapshots(baseline, current, { usd: 2.5 }).alerts).toEqual([
      { kind: 'usd', key: 'total', limit: 2.5, actual: 3, message: 'total cost grew by $3.00 ($10.00 → $13.00), above the $2.50 limit' },
    ]);
    expect(diffSnapshots(baseline, current, { usd: 3 }).alerts).toEqual([]);
  });

  it('fires class alerts in the order given, after pct and usd', () => {
    // input +50 % > 10 fires; cache_write +75 % > 50 fires; output 0 % is not > 0; cache_read +50 % is not > 50
    const alerts = diffSnapshots(baseline, current, { usd: 1, pct: 5, classPct: { input: 10, output: 0, cache_write: 50, cache_read: 50 } }).alerts;
    expect(alerts.map((a) => [a.kind, a.key, a.limit, a.actual])).toEqual([
      ['pct', 'total', 5, 30],
      ['usd', 'total', 1, 3],
      ['class-pct', 'input', 10, 50],
      ['class-pct', 'cache_write', 50, 75],
    ]);
    expect(alerts[3]?.message).toBe('cache_write cost grew 75.0% ($2.00 → $3.50), above the 50% limit');
  });

  it('counts growth from $0 as above any percentage limit, and no growth from $0 as none', () => {
    // total 0 → $0.01 (pct null) fires pct 1000; cache_read 0 → $0.01 fires too; 0 → 0 fires nothing
    const alerts = diffSnapshots(snapshot(0), snapshot(0.01, { cache_read: 0.01 }), { pct: 1000, classPct: { cache_read: 1000, input: 0 } }).alerts;
    expect(alerts).toEqual([
      { kind: 'pct', key: 'total', limit: 1000, actual: null, message: 'total cost grew from $0.00 to $0.01, above the 1000% limit' },
      { kind: 'class-pct', key: 'cache_read', limit: 1000, actual: null, message: 'cache_read cost grew from $0.00 to $0.01, above the 1000% limit' },
    ]);
    expect(diffSnapshots(snapshot(0), snapshot(0), { pct: 0, usd: 0, classPct: { input: 0 } }).alerts).toEqual([]);
  });

  it('never fires on a shrinking total', () => {
    // $13 → $10: −$3, (−3/13)·100 = −23.08 %
    const diff = diffSnapshots(current, baseline, { pct: 0, usd: 0 });
    expect(diff.total.deltaNanos).toBe(-3 * USD);
    expect(diff.total.deltaPct).toBeCloseTo(-300 / 13, 10);
    expect(diff.alerts).toEqual([]);
  });

  it('rejects unknown classes (listing the valid ones) and negative limits', () => {
    const unknown = thrown(() => diffSnapshots(baseline, current, { classPct: { tokens: 5 } }));
    expect(unknown.code).toBe('BAD_ARGUMENT');
    expect(unknown.message).toBe('unknown token class "tokens" in the class alerts; valid classes: input, output, cache_write, cache_read');
    expect(thrown(() => diffSnapshots(baseline, current, { pct: -5 })).message).toBe('the percentage alert must be a number ≥ 0, got -5');
    expect(thrown(() => diffSnapshots(baseline, current, { usd: Number.NaN })).code).toBe('BAD_ARGUMENT');
  });
});

describe('parseClassAlerts', () => {
  it('reads class:percent pairs, keeping their order', () => {
    expect(parseClassAlerts('input:20,cache_write:50')).toEqual({ input: 20, cache_write: 50 });
    expect(Object.keys(parseClassAlerts('output:1,input:2'))).toEqual(['output', 'input']);
    expect(parseClassAlerts(' input : 12.5% , output:0')).toEqual({ input: 12.5, output: 0 });
  });

  it('names the offending part', () => {
    for (const [text, part] of [
      ['input=20', 'input=20'],
      ['input:20,', ''],
      ['input:-5', 'input:-5'],
      ['input:abc', 'input:abc'],
    ] as const) {
      const error = thrown(() => parseClassAlerts(text));
      expect(error.code).toBe('BAD_ARGUMENT');
      expect(error.message).toBe(`class alerts are class:percent pairs like input:20,cache_write:50; "${part}" is not one`);
    }
  });

  it('rejects unknown and repeated classes', () => {
    expect(thrown(() => parseClassAlerts('input:5,reasoning:5')).message).toMatch(/unknown token class "reasoning".*valid classes: input, output, cache_write, cache_read/);
    expect(thrown(() => parseClassAlerts('input:5,input:6')).message).toBe('class alert "input" is given twice');
  });
});
