import { sessionDetail, type SessionDetail } from '../analytics/session-detail.js';
import { parseInstant } from '../app/instant.js';
import { parseCount } from '../app/numbers.js';
import { badArgument } from '../core/errors.js';
import { nanosToUsd } from '../core/money.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { SessionInfo } from '../ledger/ledger.js';
import { agentId } from '../sources/index.js';
import { analysisClock, analysisScope, type AnalysisScope } from './analysis-scope.js';
import type { ReportContext } from './report.js';

/** What `session --session-id ID | --latest` asks for. */
export interface SessionDetailOptions {
  /** How many messages to list. */
  top: number;
  /** Only messages since (epoch ms). */
  since: number | undefined;
  agent: string | undefined;
  /** The id or prefix given; absent: the latest session. */
  wanted: string | undefined;
}

/** Reads the flags of one session in detail (before anything is read: a bad flag costs nothing). */
export function sessionDetailOptions(flags: Record<string, unknown>, clock: ZoneClock, now: number): SessionDetailOptions {
  if (flags.sessionId !== undefined && flags.latest === true) throw badArgument('give --session-id ID or --latest, not both');
  const agents = typeof flags.agent === 'string' ? flags.agent.split(',').map((a) => agentId(a)) : undefined;
  if (agents !== undefined && agents.length > 1) throw badArgument('--agent names one agent when looking at one session');
  return {
    top: parseCount(flags.top ?? '20', '--top', 1, 100_000),
    since: flags.since === undefined ? undefined : parseInstant(String(flags.since), '--since', now, clock),
    agent: agents?.[0],
    wanted: typeof flags.sessionId === 'string' ? flags.sessionId.trim() : undefined,
  };
}

/**
 * The session `--session-id` names (exactly, else by a unique prefix; `--agent` settles a name two
 * agents share) or the most recently active one (`--latest`).
 */
function pick(infos: Iterable<SessionInfo>, wanted: string | undefined, agent: string | undefined): SessionInfo {
  const list = [...infos].filter((s) => agent === undefined || s.agent === agent);
  if (wanted === undefined) {
    const latest = list.reduce<SessionInfo | undefined>((best, s) => (best === undefined || s.lastActivity > best.lastActivity ? s : best), undefined);
    if (latest === undefined) throw badArgument('there is no session in the ledger yet');
    return latest;
  }
  const exact = list.filter((s) => s.sessionId === wanted);
  const matches = exact.length > 0 ? exact : list.filter((s) => s.sessionId.startsWith(wanted));
  if (matches.length === 1) return matches[0] as SessionInfo;
  if (matches.length === 0) throw badArgument(`no session "${wanted}" in the ledger`, 'list sessions with `tokenledger session`');
  const shown = matches
    .slice(0, 5)
    .map((s) => `${s.sessionId} (${s.agent})`)
    .join(', ');
  throw badArgument(`"${wanted}" names ${matches.length} sessions: ${shown}${matches.length > 5 ? ', …' : ''}`, 'give more of the id, or --agent');
}

/** One session as read: who and where, its messages summed and the costliest of them. */
export interface SessionDetailRead {
  scope: AnalysisScope;
  options: SessionDetailOptions;
  info: SessionInfo;
  /** The project that holds most of its cost. */
  project: string;
  detail: SessionDetail;
}

/** Reads the session the flags name (`--session-id`, else the latest). */
export async function readSessionDetail(ctx: ReportContext, flags: Record<string, unknown>): Promise<SessionDetailRead> {
  const options = sessionDetailOptions(flags, analysisClock(flags, ctx.loaded.config, ctx.env), ctx.now());
  const scope = await analysisScope(ctx, 'session', flags);
  const info = pick((await ctx.ledger.sessions({ namespace: scope.namespace })).values(), options.wanted, options.agent);
  const events = await ctx.ledger.sessionEvents(scope.namespace, info.agent, info.sessionId, options.since);
  const costs = new Map<string, number>();
  for (const e of events) costs.set(e.project, (costs.get(e.project) ?? 0) + e.costNanos);
  const project = [...costs].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '';
  return { scope, options, info, project, detail: sessionDetail(events, options.top) };
}

/** `session --session-id ID --json`: the session, its cost percentiles and its costliest messages. */
export function sessionDetailDocument(read: SessionDetailRead): unknown {
  const { info, detail: d, options } = read;
  return {
    sessionId: info.sessionId,
    agent: info.agent,
    ...(info.user === undefined ? {} : { user: info.user }),
    ...(info.machine === undefined ? {} : { machine: info.machine }),
    project: read.project,
    firstActivity: new Date(info.firstActivity).toISOString(),
    lastActivity: new Date(info.lastActivity).toISOString(),
    since: options.since === undefined ? null : new Date(options.since).toISOString(),
    messageCount: d.messages,
    unpricedMessages: d.unpriced,
    total_cost_usd: nanosToUsd(d.totalNanos),
    serviceTiers: d.byServiceTier.map((t) => ({ service_tier: t.serviceTier, messages: t.messages, cost_usd: nanosToUsd(t.costNanos) })),
    percentiles: d.percentiles === undefined ? null : { p50_usd: nanosToUsd(d.percentiles.p50), p90_usd: nanosToUsd(d.percentiles.p90), p99_usd: nanosToUsd(d.percentiles.p99) },
    topMessages: d.top.map((e) => ({
      at: new Date(e.occurredAt).toISOString(),
      model: e.model,
      input_tokens: e.inputTokens,
      output_tokens: e.outputTokens,
      cache_creation_input_tokens: e.cacheWrite5mTokens + e.cacheWrite1hTokens,
      cache_creation_1h_input_tokens: e.cacheWrite1hTokens,
      cache_read_input_tokens: e.cacheReadTokens,
      cost_usd: nanosToUsd(e.costNanos),
      pct_of_session: e.pctOfSession,
      sidechain: e.sidechain,
      unpriced: e.unpriced,
      service_tier: e.serviceTier ?? 'standard',
    })),
  };
}
