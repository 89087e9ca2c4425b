/** `blocks` as text: what `computeBlocks` found, for the reader. */
import { limitPct, timeline, type ActiveOutlook } from '../../analytics/blocks.js';
import type { OfficialLimit } from '../../analytics/official-limits.js';
import { formatSpan } from '../../core/duration.js';
import { formatUsd } from '../../core/money.js';
import type { ZoneClock } from '../../core/zone-clock.js';
import { SOURCES } from '../../sources/index.js';
import { formatTokens } from '../../sinks/table/format.js';
import type { ReportSection } from '../../sinks/text/text-report.js';
import type { Analysis } from '../analysis.js';
import { formatPct } from '../../app/numbers.js';
import { providerLabel } from '../../analytics/provider-blocks.js';
import { terminalText } from '../../core/terminal-text.js';
import type { BlocksOptions, BlocksResult, ProviderBlocksResult } from '../../reports/blocks.js';

const HOUR_MS = 3_600_000;

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

/** The text report: per provider, its blocks table and its active block's outlook; then the official limits. */
export function blocksSections(r: BlocksResult, a: Analysis): ReportSection[] {
  const out: ReportSection[] = [];
  if (r.providers.length === 0) {
    const what = r.options.provider === undefined ? '' : ` of provider ${terminalText(r.options.provider)}`;
    out.push({ lines: [r.options.active ? `No active block${what}.` : r.options.recent ? `No blocks${what} in the last 3 days.` : `No usage${what} recorded yet.`] });
  }
  for (const p of r.providers) out.push(...providerSections(r, p, a));
  if (r.limits.length > 0) out.push({ title: 'Official limits (from the agents\u2019 logs)', lines: limitLines(r.limits, r.now, a.clock) });
  return out;
}

function providerSections(r: BlocksResult, p: ProviderBlocksResult, a: Analysis): ReportSection[] {
  const out: ReportSection[] = [];
  const stamp = (ms: number): string => a.clock.stamp(ms);
  const time = (ms: number): string => stamp(ms).slice(11);
  // Providers recorded by an ingest come from outside: shown with control characters escaped.
  const name = terminalText(providerLabel(p.provider));
  const withLimit = p.limitTokens !== undefined;
  out.push({
    title: `${name}: usage blocks of ${r.options.sessionLengthMs / HOUR_MS} hours (${a.clock.timeZone}; activity to the quarter hour)`,
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
    rows: timeline(p.blocks).map((e) => {
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
        ...(withLimit ? [formatPct(limitPct(e.tokens, p.limitTokens))] : []),
        `${formatUsd(t.costNanos)}${t.unpricedEvents > 0 ? '*' : ''}`,
      ];
    }),
  });
  if (r.options.tokenLimit === 'max' && p.limitTokens === undefined) out.push({ lines: [`No earlier ${name} block to take the token limit "max" from.`] });
  if (p.active !== undefined) out.push({ title: `${name}: active block`, lines: outlookLines(p.active, p.limitTokens, r.options.tokenLimit, r.now, a.clock) });
  else if (!r.options.active) out.push({ lines: [`${name}: no active block.`] });
  return out;
}
