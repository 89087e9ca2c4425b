import { sessionDetail } from '../../analytics/session-detail.js';
import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { csvDocument } from '../../sinks/csv/csv.js';
import { agentId } from '../../sources/index.js';
import { formatTokens } from '../../sinks/table/format.js';
import type { SessionInfo } from '../../ledger/ledger.js';
import { runAnalysis } from '../analysis.js';
import type { Io } from '../io.js';
import { parseInstant } from '../../app/instant.js';
import { parseCount } from '../../app/numbers.js';

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

/** `tokenledger session --session-id ID | --latest`: one session's messages, costliest first. */
export async function runSessionDetail(io: Io, flags: Record<string, unknown>): Promise<ExitCode> {
  return runAnalysis(
    'session',
    flags,
    io,
    (_loaded, clock) => {
      if (flags.sessionId !== undefined && flags.latest === true) throw badArgument('give --session-id ID or --latest, not both');
      const agents = typeof flags.agent === 'string' ? flags.agent.split(',').map((a) => agentId(a)) : undefined;
      if (agents !== undefined && agents.length > 1) throw badArgument('--agent names one agent when looking at one session');
      return {
        top: parseCount(flags.top ?? '20', '--top', 1, 100_000),
        since: flags.since === undefined ? undefined : parseInstant(String(flags.since), '--since', io.now(), clock),
        agent: agents?.[0],
        wanted: typeof flags.sessionId === 'string' ? flags.sessionId.trim() : undefined,
      };
    },
    async (a, o) => {
      const info = pick((await a.ws.ledger.sessions({ namespace: a.namespace })).values(), o.wanted, o.agent);
      const events = await a.ws.ledger.sessionEvents(a.namespace, info.agent, info.sessionId, o.since);
      const d = sessionDetail(events, o.top);
      const costs = new Map<string, number>();
      for (const e of events) costs.set(e.project, (costs.get(e.project) ?? 0) + e.costNanos);
      const project = [...costs].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '';
      if (a.format === 'json') {
        a.json({
          sessionId: info.sessionId,
          agent: info.agent,
          ...(info.user === undefined ? {} : { user: info.user }),
          ...(info.machine === undefined ? {} : { machine: info.machine }),
          project,
          firstActivity: new Date(info.firstActivity).toISOString(),
          lastActivity: new Date(info.lastActivity).toISOString(),
          since: o.since === undefined ? null : new Date(o.since).toISOString(),
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
        });
        return EXIT.ok;
      }
      if (a.format === 'csv') {
        io.stdout.write(
          csvDocument(
            ['at', 'model', 'input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'cost_usd', 'pct_of_session', 'sidechain', 'service_tier'],
            d.top.map((e) => [
              new Date(e.occurredAt).toISOString(),
              e.model,
              e.inputTokens,
              e.outputTokens,
              e.cacheWrite5mTokens,
              e.cacheWrite1hTokens,
              e.cacheReadTokens,
              nanosToUsd(e.costNanos),
              e.pctOfSession,
              e.sidechain ? 'yes' : 'no',
              e.serviceTier ?? 'standard',
            ]),
          ),
        );
        return EXIT.ok;
      }
      const p = d.percentiles;
      a.print([
        {
          title: `Session ${info.sessionId} (${info.agent}, ${project}): ${d.messages} messages, ${formatUsd(d.totalNanos)}`,
          lines: [
            `${a.clock.stamp(info.firstActivity)} → ${a.clock.stamp(info.lastActivity)} (${a.clock.timeZone})${o.since === undefined ? '' : `; messages since ${a.clock.stamp(o.since)}`}`,
            p === undefined
              ? 'No messages.'
              : `Message cost: p50 ${formatUsd(p.p50)}, p90 ${formatUsd(p.p90)}, p99 ${formatUsd(p.p99)}${d.unpriced > 0 ? `; ${d.unpriced} messages of models without a price count $0` : ''}`,
            ...d.byServiceTier.map((t) => `Served ${t.serviceTier === 'fast' ? 'in fast mode' : `at the ${t.serviceTier} tier`}: ${t.messages} messages, ${formatUsd(t.costNanos)}`),
          ],
        },
        ...(d.top.length === 0
          ? []
          : [
              {
                title: `The ${d.top.length} costliest`,
                columns: [
                  { header: 'Time' },
                  { header: 'Model', minWidth: 10 },
                  { header: 'Input', align: 'right' as const, priority: 40 },
                  { header: 'Output', align: 'right' as const, priority: 45 },
                  { header: 'Cache write', align: 'right' as const, priority: 50 },
                  { header: 'Cache read', align: 'right' as const, priority: 42 },
                  { header: 'Cost', align: 'right' as const },
                  { header: '% of session', align: 'right' as const },
                ],
                rows: d.top.map((e) => [
                  a.clock.stamp(e.occurredAt),
                  `${e.model}${e.serviceTier === undefined ? '' : ` [${e.serviceTier}]`}${e.sidechain ? ' (subagent)' : ''}`,
                  formatTokens(e.inputTokens),
                  formatTokens(e.outputTokens),
                  `${formatTokens(e.cacheWrite5mTokens + e.cacheWrite1hTokens)}${e.cacheWrite1hTokens > 0 ? ` (1h ${formatTokens(e.cacheWrite1hTokens)})` : ''}`,
                  formatTokens(e.cacheReadTokens),
                  `${formatUsd(e.costNanos)}${e.unpriced ? '*' : ''}`,
                  `${e.pctOfSession.toFixed(1)}%`,
                ]),
              },
            ]),
      ]);
      return EXIT.ok;
    },
  );
}
