import { readPlanValues } from '../analytics/read-plan-values.js';
import type { PlanValue } from '../analytics/plan-value.js';
import { summarize, type Summary } from '../analytics/summary.js';
import { bandPricer } from '../app/band-pricer.js';
import { existingFolder } from '../app/existing-folder.js';
import { gitInfo } from '../app/git-info.js';
import { parseInstant } from '../app/instant.js';
import { mostSevere } from '../budgets/evaluate.js';
import { budgetStatuses } from '../budgets/statuses.js';
import { badArgument, EXIT } from '../core/errors.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { planJson } from '../sinks/json/plan-json.js';
import { summaryJson, type SummaryContext } from '../sinks/json/summary-json.js';
import { analysisClock, analysisOptions, analysisScope, type AnalysisScope } from './analysis-scope.js';
import { localOption } from './local-options.js';
import { machineOption, userOption } from './options.js';
import type { JsonReport, ReportContext } from './report.js';

/** A pause this long (or longer) without a request ends a conversation. */
export const CONVERSATION_GAP_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

/** What `summary` asks for: a time range, and the git checkout whose commit the snapshot records. */
export interface SummaryOptions {
  since: number | undefined;
  until: number | undefined;
  repo: string;
}

/** Reads the flags of `summary` (before anything is read: a bad flag costs nothing). */
export function summaryOptions(flags: Record<string, unknown>, clock: ZoneClock, now: number): SummaryOptions {
  const since = flags.since === undefined ? undefined : parseInstant(flags.since as string, '--since', now, clock);
  const until = flags.until === undefined ? undefined : parseInstant(flags.until as string, '--until', now, clock);
  if (since !== undefined && until !== undefined && since >= until) throw badArgument(`--since ${String(flags.since)} is not before --until ${String(flags.until)}`);
  return { since, until, repo: flags.repo === undefined ? process.cwd() : existingFolder(String(flags.repo), '--repo') };
}

/** The summary as read, its context (range, git, federation) and the plans' value. */
export interface SummaryRead {
  scope: AnalysisScope;
  summary: Summary;
  context: SummaryContext;
  plans: PlanValue[];
}

/** Reads the summary the flags ask for. */
export async function readSummary(ctx: ReportContext, flags: Record<string, unknown>): Promise<SummaryRead> {
  const { since, until, repo } = summaryOptions(flags, analysisClock(flags, ctx.loaded.config, ctx.env), ctx.now());
  const scope = await analysisScope(ctx, 'summary', flags);
  const ledger = ctx.ledger;
  const filter = { namespace: scope.namespace, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), ...scope.who };
  // git runs in other processes: started first, it answers while the ledger is read.
  const [git, table, bands, sessions, users, conversationCount, statuses, all, last24h, peers24h, plans] = await Promise.all([
    gitInfo(repo),
    ctx.pricer.table(),
    ledger.usage(filter, ['model', 'promptBand']),
    ledger.usage(filter, ['session']),
    ledger.usage(filter, ['user']),
    ledger.conversationCount(filter, CONVERSATION_GAP_MS),
    budgetStatuses(ledger, scope.namespace, scope.guard),
    ledger.usage({ namespace: scope.namespace }, []),
    ledger.spend({ namespace: scope.namespace, scope: { kind: 'global' }, since: scope.now - DAY_MS, until: scope.now + 1 }),
    ledger.peerSpend(scope.namespace, scope.now - DAY_MS, scope.now + 1),
    readPlanValues(ledger, scope.namespace, ctx.loaded.config.plans, scope.clock, scope.now),
  ]);
  const summary = summarize({ bands, sessions, users, conversationCount, budget: mostSevere(statuses), price: bandPricer(table, scope.now) });
  const context: SummaryContext = {
    exportedAt: scope.now,
    namespace: scope.namespace,
    since,
    until,
    git,
    // Peers: those that reported spend (`ingest` federation_spend) in the same last 24 hours.
    federation: { eventCount: all[0]?.events ?? 0, peerCount: peers24h.length, totalNanos24h: last24h.costNanos },
  };
  return { scope, summary, context, plans };
}

/** `summary --json`: the stable snapshot, with the subscription plans' value when any are configured. */
export function summaryDocument(read: SummaryRead): unknown {
  const json = summaryJson(read.summary, read.context);
  return read.plans.length === 0 ? json : { ...json, plans: read.plans.map(planJson) };
}

/** `summary`: the stable snapshot other tools and CI consume. */
export const SUMMARY_REPORT: JsonReport = {
  name: 'summary',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'only usage since: a duration back (30d), a date or an ISO time (default: all time)')
      .option('-u, --until <when>', 'only usage before this time (default: now)')
      .addOption(localOption('--repo <path>', 'the git checkout whose commit the snapshot records (default: the current folder)'));
  },
  async answer(ctx, flags) {
    return { document: summaryDocument(await readSummary(ctx, flags)), exit: EXIT.ok };
  },
};
