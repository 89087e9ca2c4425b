import {
  activeBlock,
  burnRate,
  limitPct,
  maxEarlierTokens,
  officialLimits,
  projectBlock,
  readBlocks,
  recentBlocks,
  timeline,
  type BlockProjection,
  type BurnRate,
  type OfficialLimit,
  type UsageBlock,
} from '../../analytics/blocks.js';
import { formatSpan } from '../../core/duration.js';
import { badArgument, EXIT } from '../../core/errors.js';
import type { ZoneClock } from '../../core/zone-clock.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import type { LedgerReader } from '../../ledger/ledger.js';
import { agentId, SOURCES } from '../../sources/index.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import { formatTokens } from '../../sinks/table/format.js';
import { analysisOptions, runAnalysis, type Analysis } from '../analysis.js';
import { formatPct } from '../numbers.js';
import type { Runnable } from './command.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** `--recent`: blocks that started within this long before now. */
const RECENT_MS = 3 * DAY_MS;
/** Rate-limit readings older than this are not shown (the longest window agents report is a week). */
const LIMITS_LOOKBACK_MS = 7 * DAY_MS;
const MAX_SESSION_HOURS = 168;

export interface BlocksOptions {
  sessionLengthMs: number;
  active: boolean;
  recent: boolean;
  /** A token count, `max` (the largest earlier block), or none. */
  tokenLimit?: number | 'max';
  agents?: string[];
}

/** `--session-length`: hours, in whole quarter hours, above 0 and at most a week. */
export function parseSessionLength(text: unknown): number {
  const hours = typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours > 0 && hours <= MAX_SESSION_HOURS && Number.isInteger(hours * 4))) {
    throw badArgument(`--session-length expects hours above 0 and at most ${MAX_SESSION_HOURS}, in whole quarter hours (5, 2.5, 0.75), got "${String(text)}"`);
  }
  return hours * HOUR_MS;
}

export function blocksOptions(flags: Record<string, unknown>): BlocksOptions {
  const limit = flags.tokenLimit as string | undefined;
  let tokenLimit: number | 'max' | undefined;
  if (limit !== undefined) {
    if (limit.trim().toLowerCase() === 'max') tokenLimit = 'max';
    else if (/^\s*\d{1,15}\s*$/.test(limit) && Number(limit) > 0) tokenLimit = Number(limit);
    else throw badArgument(`--token-limit expects a positive whole number of tokens or "max", got "${limit}"`);
  }
  const agents = (flags.agent as string | undefined)?.split(',').map((s) => s.trim()).filter((s) => s !== '').map(agentId);
  return {
    sessionLengthMs: parseSessionLength((flags.sessionLength as string | undefined) ?? '5'),
    active: flags.active === true,
    recent: flags.recent === true,
    ...(tokenLimit === undefined ? {} : { tokenLimit }),
    ...(agents === undefined ? {} : { agents }),
  };
}

/** The active block's outlook. */
export interface ActiveOutlook {
  block: UsageBlock;
  rate: BurnRate;
  projection: BlockProjection;
}

export interface BlocksResult {
  options: BlocksOptions;
  now: number;
  /** The blocks shown, oldest first. */
  blocks: UsageBlock[];
  active: ActiveOutlook | undefined;
  /** The limit in force (undefined: none given, or `max` without an earlier block). */
  limitTokens: number | undefined;
  limits: OfficialLimit[];
}

/** Reads the namespace's blocks and the agents' official limit readings. */
export async function computeBlocks(reader: Pick<LedgerReader, 'usage' | 'latestRateLimits'>, namespace: string, now: number, options: BlocksOptions): Promise<BlocksResult> {
  // Only the active or recent blocks, and no `max` to find: the history before an anchor is not read.
  const keepFrom = options.tokenLimit === 'max' ? undefined : options.active ? now : options.recent ? now - RECENT_MS : undefined;
  const all = await readBlocks(reader, { namespace, ...(options.agents === undefined ? {} : { agents: options.agents }) }, options.sessionLengthMs, now, keepFrom);
  const current = activeBlock(all);
  const rate = current === undefined ? undefined : burnRate(current, now);
  const active = current === undefined || rate === undefined ? undefined : { block: current, rate, projection: projectBlock(current, rate, now) };
  const limitTokens = options.tokenLimit === 'max' ? maxEarlierTokens(all) : options.tokenLimit;
  const blocks = options.active ? (current === undefined ? [] : [current]) : options.recent ? recentBlocks(all, now, RECENT_MS) : all;
  const readings = (await reader.latestRateLimits(now - LIMITS_LOOKBACK_MS)).filter((r) => options.agents === undefined || options.agents.includes(r.agent));
  return { options, now, blocks, active, limitTokens, limits: officialLimits(readings, now) };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function blocksJson(r: BlocksResult, namespace: string): unknown {
  return {
    namespace,
    now: iso(r.now),
    session_length_hours: r.options.sessionLengthMs / HOUR_MS,
    activity_resolution_minutes: 15,
    token_limit: r.limitTokens === undefined ? null : { tokens: r.limitTokens, source: r.options.tokenLimit === 'max' ? 'max' : 'flag' },
    blocks: timeline(r.blocks).map((e) => {
      if (e.kind === 'gap') return { kind: 'gap', start: iso(e.start), end: iso(e.end) };
      const t = e.totals;
      const outlook = e.active ? r.active : undefined;
      return {
        kind: 'block',
        start: iso(e.start),
        end: iso(e.end),
        active: e.active,
        first_activity: iso(e.firstActivity),
        last_activity: iso(e.lastActivity),
        requests: t.events,
        unpriced_requests: t.unpricedEvents,
        tokens: { input: t.inputTokens, output: t.outputTokens, reasoning: t.reasoningTokens, cache_write: t.cacheWrite5mTokens + t.cacheWrite1hTokens, cache_read: t.cacheReadTokens, total: e.tokens },
        cost_usd: nanosToUsd(t.costNanos),
        models: e.models,
        token_limit_pct: limitPct(e.tokens, r.limitTokens),
        burn_rate: outlook === undefined ? null : { tokens_per_minute: outlook.rate.tokensPerMinute, usd_per_hour: nanosToUsd(outlook.rate.costNanosPerHour) },
        projection:
          outlook === undefined
            ? null
            : {
                tokens: outlook.projection.tokens,
                cost_usd: nanosToUsd(outlook.projection.costNanos),
                remaining_minutes: Math.round(outlook.projection.remainingMs / 60_000),
                token_limit_pct: limitPct(outlook.projection.tokens, r.limitTokens),
                exceeds_token_limit: r.limitTokens === undefined ? null : outlook.projection.tokens > r.limitTokens,
              },
      };
    }),
    rate_limits: r.limits.map((l) => ({
      agent: l.agent,
      limit_id: l.limitId ?? null,
      plan_type: l.planType ?? null,
      taken_at: iso(l.takenAt),
      windows: l.windows.map((w) => ({ name: w.name, label: w.label, used_percent: w.usedPercent, window_minutes: w.windowMinutes ?? null, resets_at: w.resetsAt === undefined ? null : iso(w.resetsAt), current: w.current })),
    })),
  };
}

const agentLabel = (id: string): string => SOURCES.find((s) => s.id === id)?.label ?? id;

/** One line per agent's official limits: `Codex CLI limits: 5-hour 42% used, resets 14:30; weekly 12% used, …`. */
export function limitLines(limits: readonly OfficialLimit[], now: number, clock: ZoneClock): string[] {
  return limits.map((l) => {
    const about = [l.limitId, l.planType === undefined ? undefined : `plan ${l.planType}`, `read ${clock.shortStamp(l.takenAt, now)}`].filter((s) => s !== undefined).join(', ');
    const windows = l.windows.map((w) => {
      const used = `${w.label} ${formatPct(w.usedPercent, 0)} used`;
      if (!w.current) return `${used} at the reading (${w.resetsAt === undefined ? 'window passed since' : `reset ${clock.shortStamp(w.resetsAt, now)}`})`;
      return w.resetsAt === undefined ? used : `${used}, resets ${clock.shortStamp(w.resetsAt, now)}`;
    });
    return `${agentLabel(l.agent)} limits (${about}): ${windows.join('; ')}`;
  });
}

/** What the active block's burn rate and projection say, in lines. */
export function outlookLines(o: ActiveOutlook, limitTokens: number | undefined, source: BlocksOptions['tokenLimit'], now: number, clock: ZoneClock): string[] {
  const lines = [
    `Started ${clock.shortStamp(o.block.start, now)}, ends ${clock.shortStamp(o.block.end, now)} (${formatSpan(o.projection.remainingMs)} left): ${formatTokens(o.block.tokens)} tokens, ${formatUsd(o.block.totals.costNanos)} so far`,
    `Burn rate: ${formatTokens(o.rate.tokensPerMinute)} tokens/min, ${formatUsd(Math.round(o.rate.costNanosPerHour))}/h (over ${formatSpan(o.rate.elapsedMs)} since the first activity)`,
    `Projected by ${clock.shortStamp(o.block.end, now)}: ${formatTokens(o.projection.tokens)} tokens, ${formatUsd(o.projection.costNanos)}`,
  ];
  if (limitTokens !== undefined) {
    const pct = limitPct(o.projection.tokens, limitTokens);
    const what = source === 'max' ? `${formatTokens(limitTokens)} (the largest earlier block)` : formatTokens(limitTokens);
    lines.push(`${o.projection.tokens > limitTokens ? 'WARNING: projection exceeds the token limit' : 'Token limit'} ${what}: projection at ${formatPct(pct)}`);
  }
  return lines;
}

function sections(r: BlocksResult, a: Analysis): ReportSection[] {
  const out: ReportSection[] = [];
  const stamp = (ms: number): string => a.clock.stamp(ms);
  const time = (ms: number): string => stamp(ms).slice(11);
  const limitMissing = r.options.tokenLimit === 'max' && r.limitTokens === undefined ? ['No earlier block to take the token limit "max" from.'] : [];
  if (r.blocks.length === 0) {
    out.push({ lines: [r.options.active ? 'No active block.' : r.options.recent ? 'No blocks in the last 3 days.' : 'No usage recorded yet.', ...limitMissing] });
  } else {
    const withLimit = r.limitTokens !== undefined;
    out.push({
      title: `Usage blocks of ${r.options.sessionLengthMs / HOUR_MS} hours (${a.clock.timeZone}; activity to the quarter hour)`,
      columns: [
        { header: 'Block' },
        { header: 'Activity', priority: 60 },
        { header: 'Models', priority: 35, minWidth: 10 },
        { header: 'Requests', align: 'right', priority: 50 },
        { header: 'Input', align: 'right', priority: 40 },
        { header: 'Output', align: 'right', priority: 41 },
        { header: 'Cache write', align: 'right', priority: 30 },
        { header: 'Cache read', align: 'right', priority: 31 },
        { header: 'Tokens', align: 'right', priority: 90 },
        ...(withLimit ? [{ header: '% limit', align: 'right' as const, priority: 80 }] : []),
        { header: 'Cost', align: 'right', priority: 95 },
      ],
      rows: timeline(r.blocks).map((e) => {
        if (e.kind === 'gap') return [`  idle ${formatSpan(e.end - e.start)}`, '', '', '', '', '', '', '', '', ...(withLimit ? [''] : []), ''];
        const t = e.totals;
        return [
          `${stamp(e.start)} – ${time(e.end)}${e.active ? ' (active)' : ''}`,
          `${time(e.firstActivity)} – ${time(e.lastActivity)}`,
          e.models.join(', '),
          String(t.events),
          formatTokens(t.inputTokens),
          formatTokens(t.outputTokens),
          formatTokens(t.cacheWrite5mTokens + t.cacheWrite1hTokens),
          formatTokens(t.cacheReadTokens),
          formatTokens(e.tokens),
          ...(withLimit ? [formatPct(limitPct(e.tokens, r.limitTokens))] : []),
          `${formatUsd(t.costNanos)}${t.unpricedEvents > 0 ? '*' : ''}`,
        ];
      }),
    });
    if (limitMissing.length > 0) out.push({ lines: limitMissing });
  }
  if (r.active !== undefined) out.push({ title: 'Active block', lines: outlookLines(r.active, r.limitTokens, r.options.tokenLimit, r.now, a.clock) });
  else if (!r.options.active && r.blocks.length > 0) out.push({ lines: ['No active block.'] });
  if (r.limits.length > 0) out.push({ title: 'Official limits (from the agents\u2019 logs)', lines: limitLines(r.limits, r.now, a.clock) });
  return out;
}

export const blocksCommand: Runnable = {
  name: 'blocks',
  summary: 'usage in 5-hour blocks (as subscription plans meter it): burn rate and projection of the active block, official limits',
  configure(command) {
    analysisOptions(command)
      .option('--active', 'only the active block')
      .option('--recent', 'only blocks that started in the last 3 days (and the active one)')
      .option('-t, --token-limit <tokens>', 'a token count, or "max" (the largest earlier block): each block\u2019s use of it, and a warning when the active block is projected past it')
      .option('-l, --session-length <hours>', 'block length in hours', '5')
      .option('-a, --agent <names>', 'only these agents, comma-separated (claude-code, codex-cli, gemini-cli or claude, codex, gemini)');
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'blocks',
      flags,
      io,
      () => blocksOptions(flags),
      async (a, options) => {
        const result = await computeBlocks(a.ws.ledger, a.namespace, a.now, options);
        if (a.format === 'json') a.json(blocksJson(result, a.namespace));
        else a.print(sections(result, a));
        return EXIT.ok;
      },
    );
  },
};
