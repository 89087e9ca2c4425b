import { afterAll, beforeAll, expect, it } from 'vitest';
import { budgetGuard } from '../../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../../budgets/ladder.js';
import { ZoneClock } from '../../core/zone-clock.js';
import { bySpend } from '../../testing/crossing-levels.js';
import { BUDGET_BATCHES, BUDGET_EVENT_NANOS, BUDGET_PER_BATCH, BUDGET_WRITERS } from './budget-batches.js';
import { childScript, runAtOnce } from './child-script.js';
import { eachEngine, type EngineCase } from './each-engine.js';

/** A writer as a process of its own. */
let writer: Awaited<ReturnType<typeof childScript>>;
beforeAll(async () => {
  writer = await childScript('budget-writer');
});
afterAll(() => writer.remove());

const NOW = Date.UTC(2025, 9, 10, 12);
const HOUR = 3_600_000;
const USD = 1e9;
const guard = () => budgetGuard({ clock: new ZoneClock('UTC'), startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => NOW });

eachEngine('the budget check inside each commit', (t) => {
  const crossings = async () => bySpend(await t.ledger.crossings('cost-tracking', 0)).map((c) => ({ level: c.level, spentNanos: c.spentNanos, periodKey: c.periodKey }));

  it('records each level once per period, with the spend that reached it; events outside the period are left alone', async () => {
    await t.ledger.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'month', amountNanos: 10 * USD, setAt: NOW });
    const check = guard();
    await t.record([{ occurredAt: Date.UTC(2025, 8, 1), costNanos: 50 * USD }], 'old', [check]);
    expect(await crossings()).toEqual([]);
    await t.record([{ occurredAt: NOW - HOUR, costNanos: 7.6 * USD }], 'a', [check]);
    expect(await crossings()).toEqual([
      { level: 'INFO', spentNanos: 7.6 * USD, periodKey: '2025-10' },
      { level: 'WARNING', spentNanos: 7.6 * USD, periodKey: '2025-10' },
    ]);
    await t.record([{ occurredAt: NOW - HOUR, costNanos: 0.1 * USD }], 'b', [check]);
    expect(await crossings()).toHaveLength(2);
    const last = await t.record([{ occurredAt: NOW - HOUR, costNanos: 3 * USD }], 'c', [check]);
    expect(last.crossings.map((c) => c.level)).toEqual(['CRITICAL', 'HARD_STOP']);
    expect((await crossings()).map((c) => [c.level, c.spentNanos])).toEqual([
      ['INFO', 7.6 * USD],
      ['WARNING', 7.6 * USD],
      ['CRITICAL', 10.7 * USD],
      ['HARD_STOP', 10.7 * USD],
    ]);
  });

  it("reads only the budgets whose scope the commit touches: a commit on one gateway key reads that key's budgets and the global ones", async () => {
    for (let k = 0; k < 20; k++) await t.ledger.setBudget({ namespace: 'cost-tracking', scope: `key:team-${k}`, period: 'month', amountNanos: 10 * USD, setAt: NOW });
    for (const scope of ['global', 'agent:claude-code', 'session:other', 'project:app', 'project:elsewhere'])
      await t.ledger.setBudget({ namespace: 'cost-tracking', scope, period: 'month', amountNanos: 10 * USD, setAt: NOW });
    const inner = guard();
    const read: string[] = [];
    const counting = {
      ...inner,
      reads: (...args: Parameters<typeof inner.reads>) => {
        const reads = inner.reads(...args);
        read.push(...reads.map((r) => r.budget.scope));
        return reads;
      },
    };
    await t.record([{ occurredAt: NOW - HOUR, costNanos: 11 * USD, agent: 'gateway', sessionId: 'team-7', project: '/srv/api' }], 'gw', [counting]);
    expect(read.sort()).toEqual(['global', 'key:team-7']);
    read.length = 0;
    const result = await t.record([{ occurredAt: NOW - HOUR, costNanos: USD }], 'log', [counting]);
    expect(read.sort()).toEqual(['agent:claude-code', 'global', 'project:app']);
    expect(result.crossings.some((c) => c.level === 'HARD_STOP')).toBe(false);
    const stops = (await t.ledger.crossings('cost-tracking', 0)).filter((c) => c.level === 'HARD_STOP').map((c) => c.budget.scope);
    expect(stops.sort()).toEqual(['global', 'key:team-7']);
  });

  it('lets no two of four processes committing at once both slip under a level: each level, HARD_STOP too, recorded and told once', async () => {
    await t.ledger.setBudget(halfOfAll);
    // Every writer has its ledger open before any commits: then all go at once.
    const writers = await runAtOnce(
      writer.path,
      Array.from({ length: BUDGET_WRITERS }, (_, w) => [JSON.stringify(t.location), String(w)]),
    );
    const told = writers.flatMap((w) => w.lines.filter((l) => l.startsWith('crossed ')).map((l) => l.slice('crossed '.length)));
    await expectEachLevelOnce(t, told);
  });
});

/** The budget is half of what the writers commit in all. */
const halfOfAll = { namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: (BUDGET_WRITERS * BUDGET_BATCHES * BUDGET_PER_BATCH * BUDGET_EVENT_NANOS) / 2, setAt: NOW };

/** Each level was recorded once, by the commit that crossed it, and told once; the spend is the exact sum. */
async function expectEachLevelOnce(t: EngineCase, told: string[]): Promise<void> {
  const stored = bySpend(await t.ledger.crossings('cost-tracking', 0));
  expect(stored.map((c) => c.level)).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
  expect(told.sort()).toEqual(['CRITICAL', 'HARD_STOP', 'INFO', 'WARNING']);
  // HARD_STOP was recorded by the commit that crossed the budget: at most one batch past it.
  const hardStop = stored[3]!.spentNanos;
  expect(hardStop).toBeGreaterThanOrEqual(halfOfAll.amountNanos);
  expect(hardStop).toBeLessThan(halfOfAll.amountNanos + BUDGET_PER_BATCH * BUDGET_EVENT_NANOS);
  const total = BUDGET_WRITERS * BUDGET_BATCHES * BUDGET_PER_BATCH;
  expect(await t.ledger.spend({ namespace: 'cost-tracking', scope: { kind: 'global' } })).toEqual({ costNanos: total * BUDGET_EVENT_NANOS, sessions: BUDGET_WRITERS });
  expect(await t.inspector.eventCount()).toBe(total);
  await t.assertConsistent();
}
