import { projection, type Projection } from '../analytics/projection.js';
import type { BudgetStatus } from '../budgets/evaluate.js';
import { parsePeriod } from '../budgets/period.js';
import { parseScope } from '../budgets/scope.js';
import { budgetStatuses } from '../budgets/statuses.js';
import { parseDuration } from '../core/duration.js';
import { EXIT } from '../core/errors.js';
import { formatUsd, nanosToUsd } from '../core/money.js';
import { parseNumber } from '../app/numbers.js';
import { checkReport, type Check } from './check.js';

export interface ProjectionOptions {
  windowMs: number;
  windowText: string;
  horizons: { label: string; ms: number }[];
  /** Alert when a budget is used up, or will be within this many days. */
  alertDaysToExhaust?: number;
}

export interface BudgetOutlook {
  status: BudgetStatus;
  /** The scope's spend in the window and the outlook at its rate. */
  outlook: Projection;
}

export interface ProjectionResult {
  options: ProjectionOptions;
  since: number;
  spentNanos: number;
  global: Projection;
  budgets: BudgetOutlook[];
}

export function projectionOptions(flags: Record<string, unknown>): ProjectionOptions {
  const windowText = (flags.window as string | undefined) ?? '7d';
  const horizons = ((flags.horizons as string | undefined) ?? '7d,30d,90d,365d')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((label) => ({ label, ms: parseDuration(label, '--horizons') }));
  return {
    windowMs: parseDuration(windowText, '--window'),
    windowText,
    horizons,
    ...(flags.alertDaysToExhaust === undefined ? {} : { alertDaysToExhaust: parseNumber(flags.alertDaysToExhaust, '--alert-days-to-exhaust') }),
  };
}

/** Days until a budget is used up: 0 when it already is, undefined when not in its period at this rate. */
export function daysToExhaust(outlook: BudgetOutlook): number | undefined {
  const full = outlook.outlook.budget?.thresholds.find((t) => t.pct === 100);
  if (full === undefined) return undefined;
  if (full.state === 'reached') return 0;
  return full.state === 'projected' ? full.days : undefined;
}

/** Calendar periods reset at their end; `all` and rolling windows do not. */
function resets(status: BudgetStatus): boolean {
  const kind = parsePeriod(status.budget.period).kind;
  return kind === 'today' || kind === 'week' || kind === 'month';
}

export const projectionCheck: Check<ProjectionOptions, ProjectionResult> = {
  name: 'projection',
  flags: (command) =>
    command
      .option('--window <duration>', 'recent stretch whose average rate is projected (N[hdwm])', '7d')
      .option('--horizons <list>', 'how far ahead to project, comma-separated durations', '7d,30d,90d,365d')
      .option('--alert-days-to-exhaust <days>', 'exit 1 when a budget is used up or will be within this many days'),
  options: (flags) => projectionOptions(flags),
  async compute(a, options) {
    const ledger = a.ctx.ledger;
    const since = a.now - options.windowMs;
    const window = { since, until: a.now + 1 };
    const spentNanos = (await ledger.spend({ namespace: a.namespace, scope: { kind: 'global' }, ...window })).costNanos;
    const global = projection({ spentNanos, windowMs: options.windowMs, horizons: options.horizons, now: a.now });
    const thresholds = a.guard.thresholds;
    const budgets: BudgetOutlook[] = [];
    for (const status of await budgetStatuses(ledger, a.namespace, a.guard)) {
      const scoped = status.budget.scope === 'global' ? spentNanos : (await ledger.spend({ namespace: a.namespace, scope: parseScope(status.budget.scope), ...window })).costNanos;
      const outlook = projection({
        spentNanos: scoped,
        windowMs: options.windowMs,
        horizons: options.horizons,
        now: a.now,
        budget: {
          amountNanos: status.budget.amountNanos,
          spentNanos: status.spentNanos,
          // Spend leaving a rolling window is not projected: the rate is assumed to continue.
          ...(resets(status) ? { periodEndsAt: status.window.until } : {}),
          thresholdsPct: [thresholds.warning, thresholds.critical, 100],
        },
      });
      budgets.push({ status, outlook });
    }
    return { options, since, spentNanos, global, budgets };
  },
  exit(r) {
    const limit = r.options.alertDaysToExhaust;
    if (limit === undefined) return EXIT.ok;
    return r.budgets.some((b) => {
      const days = daysToExhaust(b);
      return days !== undefined && days < limit;
    })
      ? EXIT.alert
      : EXIT.ok;
  },
  headline(r) {
    const exhaust = r.budgets.map(daysToExhaust).filter((d): d is number => d !== undefined);
    const soonest =
      exhaust.length === 0 ? 'no budget runs out this period at this rate' : Math.min(...exhaust) === 0 ? 'a budget is used up' : `a budget runs out in ${Math.min(...exhaust).toFixed(1)} days`;
    return `${formatUsd(Math.round(r.global.costPerDayNanos))}/day over the last ${r.options.windowText}; ${soonest}`;
  },
  json(r, a) {
    return {
      namespace: a.namespace,
      window: r.options.windowText,
      since: new Date(r.since).toISOString(),
      spent_usd: nanosToUsd(r.spentNanos),
      usd_per_day: nanosToUsd(r.global.costPerDayNanos),
      horizons: r.global.horizons.map((h) => ({ horizon: h.label, days: h.days, projected_usd: nanosToUsd(h.projectedNanos) })),
      budgets: r.budgets.map((b) => ({
        scope: b.status.budget.scope,
        period: b.status.budget.period,
        budget_usd: nanosToUsd(b.status.budget.amountNanos),
        spent_usd: nanosToUsd(b.status.spentNanos),
        usd_per_day: nanosToUsd(b.outlook.costPerDayNanos),
        level: b.status.level,
        periodEndsAt: b.outlook.budget?.periodEndsAt === undefined ? null : new Date(b.outlook.budget.periodEndsAt).toISOString(),
        thresholds: (b.outlook.budget?.thresholds ?? []).map((t) => ({
          pct: t.pct,
          state: t.state,
          days: 'days' in t ? t.days : t.state === 'reached' ? 0 : null,
          at: 'at' in t ? new Date(t.at).toISOString() : null,
        })),
      })),
      alert: projectionCheck.exit(r) === EXIT.alert,
    };
  },
};

/** `projection`: spend per day and where it leads, and when each budget runs out. */
export const PROJECTION_REPORT = checkReport(projectionCheck);
