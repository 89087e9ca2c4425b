import type { Recommendation } from '../../analytics/optimize.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, groupDigits } from '../../core/money.js';
import { computeOptimize, optimizeOptions, OPTIMIZE_REPORT } from '../../reports/optimize.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import type { Runnable } from './command.js';

function sections(list: readonly Recommendation[], a: Analysis, since: number, totalNanos: number, requests: number, unpriced: number): ReportSection[] {
  const notes = unpriced > 0 ? [`Left out: ${unpriced} request${unpriced === 1 ? '' : 's'} of models without a price.`] : [];
  if (list.length === 0) {
    const why = requests > unpriced ? 'nothing to save was found in' : 'no priced usage in';
    return [{ lines: [`Nothing to recommend: ${why} namespace ${a.namespace} since ${a.clock.stamp(since)}.`, ...notes] }];
  }
  const out: ReportSection[] = [
    {
      title: `Recommendations since ${a.clock.stamp(since)} (spend ${formatUsd(totalNanos)}; savings at today's prices)`,
      columns: [
        { header: '#', align: 'right' },
        { header: 'Recommendation and what to do', minWidth: 24 },
        { header: 'Saving', align: 'right' },
      ],
      rows: list.map((r, i) => [String(i + 1), `${r.title}\n→ ${r.action}`, r.savingsNanos === 0 ? '-' : formatUsd(r.savingsNanos)]),
    },
  ];
  const downgrade = list.find((r) => r.id === 'downgrade');
  if (downgrade?.id === 'downgrade') {
    const e = downgrade.evidence;
    out.push({
      title: `Sessions averaging under ${groupDigits(String(e.smallOutputTokens))} output tokens per request${e.topSessions.length < e.sessions ? ` (top ${e.topSessions.length} of ${e.sessions})` : ''}`,
      columns: [
        { header: 'Session', minWidth: 12 },
        { header: 'Agent', priority: 30 },
        { header: 'Model', minWidth: 10 },
        { header: 'Instead', minWidth: 10 },
        { header: 'Requests', align: 'right', priority: 40 },
        { header: 'Mean output', align: 'right', priority: 35 },
        { header: 'Cost', align: 'right' },
        { header: 'Would cost', align: 'right' },
        { header: 'Saving', align: 'right' },
      ],
      rows: e.topSessions.map((s) => [
        s.sessionId,
        s.agent,
        s.model,
        s.targetModel,
        String(s.requests),
        groupDigits(String(Math.round(s.meanOutputTokens))),
        formatUsd(s.recordedNanos),
        formatUsd(s.repricedNanos),
        formatUsd(s.savingsNanos),
      ]),
    });
  }
  out.push({
    lines: [...list.map((r, i) => `${i + 1}. ${r.detail}`), "Each saving is what the same tokens would have cost instead, at today's prices; they overlap, so do not add them up.", ...notes],
  });
  return out;
}

export const optimizeCommand: Runnable = {
  name: 'optimize',
  summary: 'recommendations measured on your usage (downgrades, caching, long context, fast mode), with what each would have saved',
  configure(command) {
    OPTIMIZE_REPORT.configure(command);
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'optimize',
      flags,
      io,
      (_loaded, clock) => optimizeOptions(flags, io.now(), clock),
      async (a, options) => {
        const r = await computeOptimize(a, options);
        a.print(sections(r.list, a, r.since, r.totalNanos, r.requests, r.unpricedRequests));
        return EXIT.ok;
      },
      OPTIMIZE_REPORT,
    );
  },
};
