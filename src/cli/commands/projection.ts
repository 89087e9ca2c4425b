import type { ThresholdProjection } from '../../analytics/projection.js';
import { dayKey } from '../../core/calendar.js';
import { formatUsd } from '../../core/money.js';
import { projectionCheck, PROJECTION_REPORT, type ProjectionResult } from '../../reports/projection.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import type { Analysis } from '../analysis.js';
import { checkCommand } from '../check.js';

function describe(t: ThresholdProjection, a: Analysis): string {
  if (t.state === 'reached') return 'already reached';
  if (t.state === 'never') return 'not at this rate';
  const when = dayKey(a.clock.localDay(t.at));
  return t.state === 'projected' ? `in ${t.days.toFixed(1)} days (${when})` : `not this period (at this rate ${when})`;
}

function sections(r: ProjectionResult, a: Analysis): ReportSection[] {
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
}

export const projectionCommand = checkCommand(projectionCheck, PROJECTION_REPORT, {
  summary: 'spend per day and where it leads: 7, 30, 90, 365 days ahead, and when budgets run out',
  sections,
});
