import { EXIT } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { anomalyCheck, ANOMALY_REPORT, type AnomalyCheckResult, type SessionCost } from '../../reports/anomaly.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import type { Analysis } from '../analysis.js';
import { checkCommand } from '../check.js';

function sections(r: AnomalyCheckResult, a: Analysis): ReportSection[] {
  const res = r.result;
  const line = { lines: [`${anomalyCheck.exit(r) === EXIT.alert ? 'ALERT: ' : ''}${anomalyCheck.headline(r)}`] };
  if (res.status === 'insufficient' || res.outliers.length === 0) return [line];
  return [
    {
      title: `Sessions whose cost is out of line (since ${a.clock.stamp(r.since)})`,
      columns: [
        { header: 'Session', minWidth: 12 },
        { header: 'Agent' },
        { header: 'Last activity' },
        { header: 'Messages', align: 'right' as const },
        { header: 'Cost', align: 'right' as const },
        { header: 'z', align: 'right' as const },
      ],
      rows: res.outliers.map((o) => {
        const s = r.sessions.get(o.key) as SessionCost;
        return [s.sessionId, s.agent, s.lastActivity === undefined ? '' : a.clock.stamp(s.lastActivity), String(s.events), formatUsd(s.costNanos), o.z.toFixed(2)];
      }),
    },
    line,
  ];
}

export const anomalyCommand = checkCommand(anomalyCheck, ANOMALY_REPORT, {
  summary: 'sessions whose cost is out of line (modified z-score); exit 1 at N outliers',
  sections,
});
