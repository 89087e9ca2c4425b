import { summarize, type Summary } from '../../analytics/summary.js';
import { TOKEN_CLASSES } from '../../analytics/token-classes.js';
import { mostSevere } from '../../budgets/evaluate.js';
import { budgetStatuses } from '../../budgets/statuses.js';
import { badArgument, EXIT } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { summaryJson, type SummaryContext } from '../../sinks/json/summary-json.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import { formatTokens } from '../../sinks/table/format.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { machineOption, userOption } from '../../reports/options.js';
import { bandPricer } from '../../reports/band-pricer.js';
import { gitInfo } from '../git-info.js';
import { existingFolder } from '../existing-folder.js';
import { parseInstant } from '../../app/instant.js';
import { readPlanValues } from '../../analytics/read-plan-values.js';
import { planJson } from '../../sinks/json/plan-json.js';
import { planNoteLines } from '../../sinks/text/plan-value-text.js';
import type { Runnable } from './command.js';

/** A pause this long (or longer) without a request ends a conversation. */
export const CONVERSATION_GAP_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

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
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'only usage since: a duration back (30d), a date or an ISO time (default: all time)')
      .option('-u, --until <when>', 'only usage before this time (default: now)')
      .option('--repo <path>', 'the git checkout whose commit the snapshot records (default: the current folder)');
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'summary',
      flags,
      io,
      (_loaded, clock) => {
        const since = flags.since === undefined ? undefined : parseInstant(flags.since as string, '--since', io.now(), clock);
        const until = flags.until === undefined ? undefined : parseInstant(flags.until as string, '--until', io.now(), clock);
        if (since !== undefined && until !== undefined && since >= until) throw badArgument(`--since ${String(flags.since)} is not before --until ${String(flags.until)}`);
        return { since, until, repo: flags.repo === undefined ? process.cwd() : existingFolder(String(flags.repo), '--repo') };
      },
      async (a, { since, until, repo }) => {
        const ledger = a.ws.ledger;
        const filter = { namespace: a.namespace, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), ...a.who };
        // git runs in other processes: started first, it answers while the ledger is read.
        const [git, table, bands, sessions, users, conversationCount, statuses, all, last24h, peers24h, plans] = await Promise.all([
          gitInfo(repo),
          a.ws.pricer.table(),
          ledger.usage(filter, ['model', 'promptBand']),
          ledger.usage(filter, ['session']),
          ledger.usage(filter, ['user']),
          ledger.conversationCount(filter, CONVERSATION_GAP_MS),
          budgetStatuses(ledger, a.namespace, a.guard),
          ledger.usage({ namespace: a.namespace }, []),
          ledger.spend({ namespace: a.namespace, scope: { kind: 'global' }, since: a.now - DAY_MS, until: a.now + 1 }),
          ledger.peerSpend(a.namespace, a.now - DAY_MS, a.now + 1),
          readPlanValues(ledger, a.namespace, a.ws.loaded.config.plans, a.clock, a.now),
        ]);
        const summary = summarize({ bands, sessions, users, conversationCount, budget: mostSevere(statuses), price: bandPricer(table, a.now) });
        const context: SummaryContext = {
          exportedAt: a.now,
          namespace: a.namespace,
          since,
          until,
          git,
          // Peers: those that reported spend (`ingest` federation_spend) in the same last 24 hours.
          federation: { eventCount: all[0]?.events ?? 0, peerCount: peers24h.length, totalNanos24h: last24h.costNanos },
        };
        if (a.format === 'json') a.json(plans.length === 0 ? summaryJson(summary, context) : { ...summaryJson(summary, context), plans: plans.map(planJson) });
        else a.print(plans.length === 0 ? sections(summary, context, a) : [...sections(summary, context, a), { title: 'Subscription plans', lines: planNoteLines(plans) }]);
        return EXIT.ok;
      },
    );
  },
};
