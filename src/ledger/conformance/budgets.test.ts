import { expect, it } from 'vitest';
import { budgetGuard } from '../../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../../budgets/ladder.js';
import { ZoneClock } from '../../core/zone-clock.js';
import { bySpend } from '../../testing/crossing-levels.js';
import { recordEvents } from '../../testing/record-events.js';
import type { BudgetCrossing } from '../ledger.js';
import { eachEngine } from './each-engine.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const HOUR = 3_600_000;
const USD = 1e9;
const guard = (onCrossing?: (level: string) => void) =>
  budgetGuard({ clock: new ZoneClock('UTC'), startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => NOW }, (c) => onCrossing?.(c.level));

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

  it('lets no two of four writers committing at once both slip under a level: each level, HARD_STOP too, recorded once, the spend the exact sum', async () => {
    // Four handles (as four processes would hold) commit 10 batches of 5 events ($0.30 each, $1.50 a
    // batch) at once into one namespace; the budget is half the $60 they write in all.
    const WRITERS = 4;
    const BATCHES = 10;
    const PER_BATCH = 5;
    await t.ledger.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: 30 * USD, setAt: NOW });
    const writers = await Promise.all(Array.from({ length: WRITERS }, () => t.open()));
    const told: string[] = [];
    const recorded: BudgetCrossing[][] = await Promise.all(
      writers.map(async (ledger, w) => {
        const check = guard((level) => told.push(level));
        const mine: BudgetCrossing[] = [];
        for (let b = 0; b < BATCHES; b++) {
          const events = Array.from({ length: PER_BATCH }, (_, i) => ({ occurredAt: NOW - HOUR + b * PER_BATCH + i, costNanos: 0.3 * USD, sessionId: `w${w}` }));
          mine.push(...(await recordEvents(ledger, events, `writer-${w}-batch-${b}`, [check])).crossings);
        }
        return mine;
      }),
    );
    const all = bySpend(recorded.flat());
    expect(all.map((c) => c.level)).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
    expect(told.sort()).toEqual(['CRITICAL', 'HARD_STOP', 'INFO', 'WARNING']);
    const stored = bySpend(await t.ledger.crossings('cost-tracking', 0));
    expect(stored.map((c) => [c.level, c.spentNanos])).toEqual(all.map((c) => [c.level, c.spentNanos]));
    // HARD_STOP was recorded by the commit that crossed $30: at most one batch past it.
    const hardStop = stored[3]!.spentNanos;
    expect(hardStop).toBeGreaterThanOrEqual(30 * USD);
    expect(hardStop).toBeLessThan(31.5 * USD);
    expect(await t.ledger.spend({ namespace: 'cost-tracking', scope: { kind: 'global' } })).toEqual({ costNanos: 60 * USD, sessions: WRITERS });
    expect(await t.inspector.eventCount()).toBe(WRITERS * BATCHES * PER_BATCH);
    await t.assertConsistent();
  });
});
