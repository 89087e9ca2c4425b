import { formatUsd } from '../../core/money.js';
import { burnCheck, BURN_REPORT, type BurnResult } from '../../reports/burn.js';
import { sparkline } from '../../sinks/table/sparkline.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import type { Analysis } from '../analysis.js';
import { checkCommand } from '../check.js';

function sections(r: BurnResult, a: Analysis): ReportSection[] {
  const max = Math.max(0, ...r.buckets.map((b) => b.costNanos));
  const bar = (n: number): string => (max === 0 ? '' : '█'.repeat(Math.round((n / max) * 30)));
  const stamp = (ms: number): string => a.clock.stamp(ms);
  return [
    {
      title: `Spend per ${r.options.bucketText} over the last ${r.options.lookbackText}  ${sparkline(r.buckets.map((b) => b.costNanos))}`,
      columns: [{ header: 'From' }, { header: 'To' }, { header: 'Cost', align: 'right' as const }, { header: '', priority: 10 }],
      rows: r.buckets.map((b) => [stamp(b.since), stamp(b.until), formatUsd(b.costNanos), bar(b.costNanos)]),
    },
    {
      lines: [`${r.burn.status === 'alert' ? 'ALERT: ' : ''}${burnCheck.headline(r)}${r.options.alertOnAccelerationPct === undefined ? '' : ` (alert above ${r.options.alertOnAccelerationPct}%)`}`],
    },
  ];
}

export const burnCommand = checkCommand(burnCheck, BURN_REPORT, {
  summary: 'burn rate: the latest bucket of spend against the earlier ones; exit 1 when it accelerates past a limit',
  sections,
});
