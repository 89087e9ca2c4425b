/** `blocks` as JSON and as text: what `computeBlocks` found, for the reader. */
import { limitPct, timeline, type ActiveOutlook } from '../../analytics/blocks.js';
import type { OfficialLimit } from '../../analytics/official-limits.js';
import { formatSpan } from '../../core/duration.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import type { ZoneClock } from '../../core/zone-clock.js';
import { SOURCES } from '../../sources/index.js';
import { formatTokens } from '../../sinks/table/format.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import type { Analysis } from '../analysis.js';
import { formatPct } from '../numbers.js';
import type { BlocksOptions, BlocksResult } from './blocks.js';

const HOUR_MS = 3_600_000;

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

/** A source's name for its id (`Codex CLI`); an agent no source reads, as recorded. */
export const agentLabel = (id: string): string => SOURCES.find((s) => s.id === id)?.label ?? id;

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

/** The text report: the blocks table, the active block's outlook, the official limits. */
export function blocksSections(r: BlocksResult, a: Analysis): ReportSection[] {
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

