import type { Weekday } from '../core/calendar.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { BudgetCrossing, CommitCheck } from '../ledger/ledger.js';
import { inScope } from './in-scope.js';
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

const crossingKey = (c: BudgetCrossing): string => `${c.budgetId}\0${c.periodKey}\0${c.level}`;

/**
 * The budget check of every commit: once the commit's events are written, the spend of each
 * budget of the namespaces it wrote whose scope its events touch (`inScope`) is read (seeing every commit before it, so two writers can
 * never both stay under a level the pair has crossed), and each level reached is recorded once
 * per budget and period. `onCrossing` hears of the new ones once the commit is durable.
 */
export function budgetGuard(options: GuardOptions, onCrossing: (crossing: Crossing) => void = () => {}): CommitCheck {
  // What each crossing was computed from, until the commit that recorded it says it is durable.
  const statuses = new Map<string, BudgetStatus>();
  let now = options.now();
  return {
    reads(namespace, span, budgets) {
      now = options.now();
      const reads = [];
      for (const budget of budgets) {
        const scope = parseScope(budget.scope);
        // A budget of a scope the commit's events do not touch cannot have moved.
        if (!inScope(scope, span)) continue;
        const window = periodWindow(parsePeriod(budget.period), now, options.clock, options.startOfWeek);
        // Events outside the period (an old log read for the first time) cannot move its spend.
        if ((window.since !== undefined && span.lastAt < window.since) || (window.until !== undefined && span.firstAt >= window.until)) continue;
        reads.push({ budget, periodKey: window.key, filter: { namespace, scope, ...window } });
      }
      return reads;
    },
    crossings(read, spend) {
      const { since, until } = read.filter;
      const status = evaluate(read.budget, { key: read.periodKey, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) }, spend, options.thresholds);
      return LEVELS.slice(1, severity(status.level) + 1).map((level) => {
        const crossing = { budgetId: read.budget.id, periodKey: read.periodKey, level, spentNanos: spend.costNanos, at: now };
        statuses.set(crossingKey(crossing), status);
        return crossing;
      });
    },
    committed(crossings) {
      for (const crossing of crossings) {
        const status = statuses.get(crossingKey(crossing));
        if (status !== undefined) onCrossing({ level: crossing.level as Level, status });
      }
      statuses.clear();
    },
  };
}
