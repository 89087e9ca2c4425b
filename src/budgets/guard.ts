import type { Weekday } from '../core/calendar.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { CommitCheck } from '../ledger/ledger.js';
import { evaluate, type BudgetStatus } from './evaluate.js';
import { LEVELS, severity, type Level, type Thresholds } from './ladder.js';
import { parsePeriod, periodWindow } from './period.js';
import { parseScope } from './scope.js';

export interface GuardOptions {
  clock: ZoneClock;
  startOfWeek: Weekday;
  thresholds: Thresholds;
  now: () => number;
}

/** A level a budget reached for the first time in its period. */
export interface Crossing {
  level: Level;
  status: BudgetStatus;
}

/**
 * The budget check that runs inside every commit: it sees the events just written and every
 * commit before, so two writers can never both stay under a level the pair has crossed. Each
 * level reached is recorded once per budget and period; `onCrossing` hears of the new ones (the
 * commit may still fail after it, so callers report them once the commit is done).
 */
export function budgetGuard(options: GuardOptions, onCrossing: (crossing: Crossing) => void = () => {}): CommitCheck {
  return (context) => {
    const now = options.now();
    for (const [namespace, span] of context.written) {
      for (const budget of context.budgets(namespace)) {
        const window = periodWindow(parsePeriod(budget.period), now, options.clock, options.startOfWeek);
        // Events outside the period (an old log read for the first time) cannot move its spend.
        if ((window.since !== undefined && span.lastAt < window.since) || (window.until !== undefined && span.firstAt >= window.until)) continue;
        const spend = context.spend({ namespace, scope: parseScope(budget.scope), ...window });
        const status = evaluate(budget, window, spend, options.thresholds);
        for (const level of LEVELS.slice(1, severity(status.level) + 1)) {
          if (context.recordCrossing({ budgetId: budget.id, periodKey: window.key, level, spentNanos: spend.costNanos, at: now })) onCrossing({ level, status });
        }
      }
    }
  };
}
