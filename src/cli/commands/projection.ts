import { projection, type Projection, type ThresholdProjection } from '../../analytics/projection.js';
import type { BudgetStatus } from '../../budgets/evaluate.js';
import { parsePeriod } from '../../budgets/period.js';
import { parseScope } from '../../budgets/scope.js';
import { dayKey } from '../../core/calendar.js';
import { budgetStatuses } from '../../budgets/statuses.js';
import { parseDuration } from '../../core/duration.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import type { Analysis } from '../analysis.js';
import { checkCommand, type Check } from '../check.js';
import { parseNumber } from '../../app/numbers.js';

export interface ProjectionOptions {
  windowMs: number;
  windowText: string;
  horizons: { label: string; ms: number }[];
  /** Alert when a budget is used up, or will be within this many days. */
  alertDaysToExhaust?: number;
}

interface BudgetOutlook {
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

function describe(t: ThresholdProjection, a: Analysis): string {
  if (t.state === 'reached') return 'already reached';
  if (t.state === 'never') return 'not at this rate';
  const when = dayKey(a.clock.localDay(t.at));
  return t.state === 'projected' ? `in ${t.days.toFixed(1)} days (${when})` : `not this period (at this rate ${when})`;
}

export const projectionCheck: Check<ProjectionOptions, ProjectionResult> = {
  name: 'projection',
  async compute(a, options) {
    const since = a.now - options.windowMs;
    const window = { since, until: a.now + 1 };
    const spentNanos = (await a.ws.ledger.spend({ namespace: a.namespace, scope: { kind: 'global' }, ...window })).costNanos;
    const global = projection({ spentNanos, windowMs: options.windowMs, horizons: options.horizons, now: a.now });
    const thresholds = a.guard.thresholds;
    const budgets: BudgetOutlook[] = [];
    for (const status of await budgetStatuses(a.ws.ledger, a.namespace, a.guard)) {
      const scoped = status.budget.scope === 'global' ? spentNanos : (await a.ws.ledger.spend({ namespace: a.namespace, scope: parseScope(status.budget.scope), ...window })).costNanos;
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
  sections(r, a) {
    const sections = [
      {
        title: `Projection at ${formatUsd(Math.round(r.global.costPerDayNanos))}/day (the average of the last ${r.options.windowText}: ${formatUsd(r.spentNanos)})`,
        columns: [{ header: 'Horizon' }, { header: 'Days', align: 'right' as const }, { header: 'Projected spend', align: 'right' as const }],
        rows: r.global.horizons.map((h) => [h.label, String(Math.round(h.days * 10) / 10), formatUsd(h.projectedNanos)]),
      },
    ];
    if (r.budgets.length === 0) return [...sections, { lines: ['No budget is set; `tokenledger budget set <usd>` adds one, and the projection says when it would run out.'] }];
    const t = a.guard.thresholds;
    return [
      ...sections,
      {
        title: 'Budgets',
        columns: [
          { header: 'Scope' },
          { header: 'Period' },
          { header: 'Budget', align: 'right' as const },
          { header: 'Spent', align: 'right' as const },
          { header: `${t.warning}%` },
          { header: `${t.critical}%` },
          { header: '100%' },
        ],
        rows: r.budgets.map((b) => [
          b.status.budget.scope,
          b.status.budget.period,
          formatUsd(b.status.budget.amountNanos),
          formatUsd(b.status.spentNanos),
          ...(b.outlook.budget?.thresholds ?? []).map((x) => describe(x, a)),
        ]),
      },
    ];
  },
};

export const projectionCommand = checkCommand(projectionCheck, {
  summary: 'spend per day and where it leads: 7, 30, 90, 365 days ahead, and when budgets run out',
  options: (command) =>
    command
      .option('--window <duration>', 'recent stretch whose average rate is projected (N[hdwm])', '7d')
      .option('--horizons <list>', 'how far ahead to project, comma-separated durations', '7d,30d,90d,365d')
      .option('--alert-days-to-exhaust <days>', 'exit 1 when a budget is used up or will be within this many days'),
  prepare: (flags) => projectionOptions(flags),
});
