import type { Weekday } from '../core/calendar.js';
import { formatUsd } from '../core/money.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { parsePeriod, type PeriodWindow, periodWindow } from '../budgets/period.js';
import type { AdmitResult, AllowanceCheck } from '../ledger/gateway-keys.js';
import type { Budget } from '../ledger/ledger.js';

/** How budget periods are placed in time: the config's zone and first day of the week. */
export interface PeriodClock {
  clock: ZoneClock;
  startOfWeek: Weekday;
}

/**
 * A reservation not settled or released this long after the request's answer was due (its first
 * byte timeout) is dropped by `expireReservations`: its gateway crashed.
 */
export const RESERVATION_GRACE_MS = 10 * 60_000;

/** The checks of an admission at `now`: each of the key's budgets in its current period. */
export function allowanceChecks(budgets: readonly Budget[], now: number, periods: PeriodClock): { checks: AllowanceCheck[]; windows: Map<number, PeriodWindow> } {
  const windows = new Map<number, PeriodWindow>();
  const checks = budgets.map((budget): AllowanceCheck => {
    const window = periodWindow(parsePeriod(budget.period), now, periods.clock, periods.startOfWeek);
    windows.set(budget.id, window);
    return {
      budgetId: budget.id,
      periodKey: window.key,
      ...(window.since === undefined ? {} : { periodStart: window.since }),
      ...(window.until === undefined ? {} : { periodEnd: window.until }),
      limitNanos: budget.amountNanos,
    };
  });
  return { checks, windows };
}

/** What a refused request is told: which budget, its limit, what is spent and held, and when it resets. */
export function refusalMessage(keyName: string, refusal: Extract<AdmitResult, { admitted: false }>, budgets: readonly Budget[], windows: Map<number, PeriodWindow>): string {
  const budget = budgets.find((b) => b.id === refusal.budgetId);
  const until = windows.get(refusal.budgetId)?.until;
  const period = budget === undefined ? 'its period' : budget.period;
  return (
    `gateway key "${keyName}" has no budget left for this request: budget key:${keyName} (${period}) of ${formatUsd(refusal.limitNanos)}, ` +
    `${formatUsd(refusal.spentNanos)} spent and ${formatUsd(refusal.reservedNanos)} held by requests in flight; ` +
    `${until === undefined ? 'it does not reset (period all)' : `it resets at ${new Date(until).toISOString()}`}`
  );
}
