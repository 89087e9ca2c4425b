import type { Summary } from '../../analytics/summary.js';
import { TOKEN_CLASSES } from '../../analytics/token-classes.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import type { SummaryContext } from '../../sinks/json/summary-json.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import { formatTokens } from '../../sinks/table/format.js';
import { planNoteLines } from '../../sinks/text/plan-value-text.js';
import { readSummary, SUMMARY_REPORT, summaryOptions } from '../../reports/summary.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';
import type { Runnable } from './command.js';

function sections(s: Summary, c: SummaryContext, a: Analysis): ReportSection[] {
  const pct = (n: number): string => (s.totalNanos === 0 ? '' : `${((n / s.totalNanos) * 100).toFixed(1)}%`);
  const range = c.since === undefined ? 'all time' : `since ${a.clock.stamp(c.since)}`;
  const head = [
    `Total ${formatUsd(s.totalNanos)} over ${s.events} messages, ${s.sessionCount} sessions, ${s.conversationCount} conversations (${range}, namespace ${c.namespace}).`,
    c.git === null ? 'Not in a git checkout.' : `At ${c.git.shaShort}${c.git.branch === null ? '' : ` on ${c.git.branch}`}${c.git.isDirty ? ' (uncommitted changes)' : ''}.`,
  ];
  if (s.topSession !== undefined) head.push(`Costliest session: ${s.topSession.sessionId} (${s.topSession.agent}), ${formatUsd(s.topSession.costNanos)} over ${s.topSession.events} messages.`);
  if (s.budget !== undefined) {
    const b = s.budget;
    head.push(
      `Budget ${b.budget.scope} ${b.budget.period}: ${formatUsd(b.spentNanos)} of ${formatUsd(b.budget.amountNanos)} (${Number.isFinite(b.utilizationPct) ? `${b.utilizationPct.toFixed(1)}%` : '∞'}), ${b.level}.`,
    );
  }
  head.push(`Last 24 hours: ${formatUsd(c.federation.totalNanos24h)}; ${c.federation.eventCount} events in the ledger.`);
  return [
    { title: 'Agent spend summary', lines: head },
    {
      title: 'By tier',
      columns: [{ header: 'Tier' }, { header: 'Cost', align: 'right' }, { header: 'Share', align: 'right' }],
      rows: [...s.byTierNanos].sort((x, y) => y[1] - x[1]).map(([tier, nanos]) => [tier, formatUsd(nanos), pct(nanos)]),
    },
    {
      title: 'By model',
      columns: [
        { header: 'Model', minWidth: 12 },
        { header: 'Tier' },
        { header: 'Messages', align: 'right' },
        { header: 'Input', align: 'right', priority: 40 },
        { header: 'Output', align: 'right', priority: 41 },
        { header: 'Cache write', align: 'right', priority: 30 },
        { header: 'Cache read', align: 'right', priority: 31 },
        { header: 'Cost', align: 'right' },
      ],
      rows: s.byModel.map(({ model, tier, totals: t }) => [
        model,
        tier,
        String(t.events),
        formatTokens(t.inputTokens),
        formatTokens(t.outputTokens),
        formatTokens(t.cacheWrite5mTokens + t.cacheWrite1hTokens),
        formatTokens(t.cacheReadTokens),
        formatUsd(t.costNanos),
      ]),
    },
    {
      title: 'By user',
      columns: [
        { header: 'User', minWidth: 8 },
        { header: 'Messages', align: 'right' },
        { header: 'Cost', align: 'right' },
        { header: 'Share', align: 'right' },
      ],
      rows: s.byUser.map((u) => [u.user, String(u.events), formatUsd(u.costNanos), pct(u.costNanos)]),
    },
    {
      title: 'By token class',
      columns: [{ header: 'Class' }, { header: 'Cost', align: 'right' }, { header: 'Share', align: 'right' }],
      rows: TOKEN_CLASSES.map((cls) => [cls, formatUsd(s.byTokenClassNanos[cls]), pct(s.byTokenClassNanos[cls])]),
    },
  ];
}

export const summaryCommand: Runnable = {
  name: 'summary',
  summary: 'the stable JSON (or markdown) snapshot other tools and CI consume: totals by tier, model, token class',
  configure: (command) => SUMMARY_REPORT.configure(command),
  async run(io, _args, flags) {
    return runAnalysis(
      'summary',
      flags,
      io,
      (_loaded, clock) => summaryOptions(flags, clock, io.now()),
      async (a) => {
        const ctx = reportContextOf(a.ws);
        if (a.format === 'json') return printAnswer(io, SUMMARY_REPORT, ctx, flags, []);
        const { summary, context, plans } = await readSummary(ctx, flags);
        a.print(plans.length === 0 ? sections(summary, context, a) : [...sections(summary, context, a), { title: 'Subscription plans', lines: planNoteLines(plans) }]);
        return EXIT.ok;
      },
    );
  },
};
