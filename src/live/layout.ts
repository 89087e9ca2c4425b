import { providerLabel } from '../analytics/provider-blocks.js';
import { formatSpan } from '../core/duration.js';
import type { Level } from '../budgets/ladder.js';
import { formatUsd } from '../core/money.js';
import { terminalText } from '../core/terminal-text.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { bar, compactTokens, fitLine, pad, seg, textWidth, type Line, type Tone } from './line.js';
import type { LiveState } from './state.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** What the view shows beside the ledger's figures. */
export interface LiveView {
  clock: ZoneClock;
  /** Whether each refresh reads new agent usage first. */
  sync: boolean;
  intervalMs: number;
  agentLabel(id: string): string;
}

const LEVEL_TONE: Record<Level, Tone> = { OK: 'good', INFO: 'note', WARNING: 'warn', CRITICAL: 'bad', HARD_STOP: 'stop' };

const basename = (path: string): string =>
  path
    .replace(/[/\\]+$/, '')
    .split(/[/\\]/)
    .pop() || path;

/**
 * The live view as lines, fitted to the terminal: at most `rows` lines of at most `columns` columns,
 * the status line last. Sections that do not fit are cut from the bottom; the sessions list takes
 * the rows left over.
 */
export function layout(state: LiveState | undefined, size: TerminalSize, view: LiveView): Line[] {
  const width = Math.max(1, size.columns);
  const rows = Math.max(1, size.rows);
  const label = width >= 50 ? 12 : 0;
  const key = (name: string): Line => (label === 0 ? [seg(`${name} `, 'title')] : [seg(pad(name, label), 'title')]);
  const body: Line[] = [];
  const now = state?.now;
  const time = now === undefined ? '' : `${view.clock.stamp(now)}:${String(new Date(now).getUTCSeconds()).padStart(2, '0')}`;
  body.push([seg('tokenledger live', 'title'), seg(state === undefined ? '' : ` · ${state.namespace} · ${time} ${view.clock.timeZone}`, 'dim')]);
  body.push([]);
  if (state === undefined) {
    body.push([seg('reading the ledger…', 'dim')]);
  } else {
    const t = state.today;
    const tokens = t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
    body.push([
      ...key('Today'),
      seg(formatUsd(t.costNanos), 'title'),
      seg(` · ${compactTokens(tokens)} tokens · ${t.events} requests${t.unpricedEvents > 0 ? ` (${t.unpricedEvents} unpriced)` : ''}`),
    ]);
    body.push(...blockLines(state, view, label, key));
    // Each subscription plan: this plan month's usage at API prices against what the plan costs.
    for (const plan of state.plans) {
      body.push([
        ...key('Plan'),
        seg(`${terminalText(plan.plan.name)} `, 'title'),
        seg(`${formatUsd(plan.apiEquivalentNanos)} API-equivalent on ${formatUsd(plan.plan.monthlyNanos)}: ${plan.multiple.toFixed(1)}x this plan month`),
      ]);
    }
    body.push([]);
    body.push(...budgetLines(state, width));
  }
  const footer = statusLine(state, view, width);
  const room = rows - 1;
  if (state !== undefined && state.sessions.length > 0 && room - body.length >= 4) {
    body.push([]);
    body.push(...sessionLines(state, width, room - body.length));
  }
  const lines = body.slice(0, room);
  while (lines.length < room) lines.push([]);
  lines.push(footer);
  return lines.slice(-rows).map((line) => fitLine(line, width));
}

function blockLines(state: LiveState, view: LiveView, label: number, key: (name: string) => Line): Line[] {
  const hours = state.sessionLengthMs / 3_600_000;
  const out: Line[] = [];
  const sub = (name: string): Line => [seg(label === 0 ? `  ${name} ` : pad(`  ${name}`, label), 'dim')];
  if (state.active.length === 0) out.push([...key('Block'), seg(`no active block (blocks of ${hours} hours, per provider)`, 'dim')]);
  // One provider active: its block in detail. Several: one line each (each provider meters its own window).
  const detail = state.active.length === 1;
  for (const { provider, block, rate, projection } of state.active) {
    // A provider recorded by an ingest comes from outside: shown with control characters escaped.
    const name = terminalText(providerLabel(provider));
    const span = `${view.clock.shortStamp(block.start, state.now)} – ${view.clock.shortStamp(block.end, state.now)}`;
    if (!detail) {
      out.push([
        ...key('Block'),
        seg(`${name} `, 'title'),
        seg(span),
        seg(` · ${formatSpan(projection.remainingMs)} left · `),
        seg(formatUsd(block.totals.costNanos), 'title'),
        seg(` · ${compactTokens(block.tokens)} tokens · ${formatUsd(Math.round(rate.costNanosPerHour))}/h → ${formatUsd(projection.costNanos)}`),
      ]);
      continue;
    }
    out.push([...key('Block'), seg(`${name} `, 'title'), seg(span, 'title'), seg(` · ${formatSpan(projection.remainingMs)} left`)]);
    out.push([...sub('so far'), seg(`${formatUsd(block.totals.costNanos)} · ${compactTokens(block.tokens)} tokens · ${block.totals.events} requests`)]);
    out.push([...sub('burn rate'), seg(`${compactTokens(rate.tokensPerMinute)} tokens/min · ${formatUsd(Math.round(rate.costNanosPerHour))}/h`)]);
    out.push([...sub('projected'), seg(`${formatUsd(projection.costNanos)} · ${compactTokens(projection.tokens)} tokens by ${view.clock.shortStamp(block.end, state.now)}`)]);
  }
  for (const limit of state.limits) {
    const windows = limit.windows.filter((w) => w.current);
    if (windows.length === 0) continue;
    const parts = windows.map((w) => `${w.label} ${Math.round(w.usedPercent)}%${w.resetsAt === undefined ? '' : ` (resets ${view.clock.shortStamp(w.resetsAt, state.now)})`}`);
    const worst = Math.max(...windows.map((w) => w.usedPercent));
    out.push([
      ...key('Limits'),
      seg(`${view.agentLabel(limit.agent)}${limit.limitId === undefined ? '' : ` ${limit.limitId}`}: `),
      seg(parts.join(' · '), worst >= 90 ? 'bad' : worst >= 75 ? 'warn' : 'plain'),
    ]);
  }
  return out;
}

function budgetLines(state: LiveState, width: number): Line[] {
  if (state.budgets.length === 0) return [[seg('Budgets ', 'title'), seg('none set (tokenledger budget set <usd>)', 'dim')]];
  const out: Line[] = [[seg('Budgets', 'title')]];
  const names = state.budgets.map((b) => `${b.budget.scope} ${b.budget.period}`);
  const nameWidth = Math.min(Math.max(...names.map(textWidth)), Math.max(8, Math.floor(width * 0.3)));
  const rights = state.budgets.map((b) => {
    const pct = Number.isFinite(b.utilizationPct) ? `${b.utilizationPct.toFixed(0)}%` : '∞';
    return `${formatUsd(b.spentNanos)} / ${formatUsd(b.budget.amountNanos)} ${pad(pct, 4, 'right')}`;
  });
  const rightWidth = Math.max(...rights.map(textWidth));
  const levelWidth = Math.max(...state.budgets.map((b) => textWidth(b.level)));
  // One bar width for all, so the bars line up; none when the terminal is too narrow for one.
  const barWidth = Math.min(60, width - 2 - nameWidth - 1 - 1 - rightWidth - 1 - levelWidth);
  state.budgets.forEach((b, i) => {
    const line: Line = [seg(`  ${pad(names[i] ?? '', nameWidth)} `)];
    if (barWidth >= 5) {
      const cells = bar(b.utilizationPct / 100, barWidth);
      line.push(seg(cells.full, LEVEL_TONE[b.level]), seg(cells.empty, 'dim'), seg(' '));
    }
    line.push(seg(`${pad(rights[i] ?? '', rightWidth, 'right')} `), seg(b.level, LEVEL_TONE[b.level]));
    out.push(line);
  });
  return out;
}

function sessionLines(state: LiveState, width: number, room: number): Line[] {
  const showAgent = width >= 64;
  const showTokens = width >= 46;
  const project = Math.min(20, Math.max(8, Math.floor(width * 0.2)));
  const fixed = 2 + 10 + (showTokens ? 8 : 0) + (showAgent ? 13 : 0) + project + 2;
  const idWidth = Math.max(8, width - fixed);
  const row = (cost: string, tokens: string, agent: string, proj: string, id: string): string =>
    `  ${pad(cost, 10, 'right')}${showTokens ? pad(tokens, 8, 'right') : ''}  ${showAgent ? pad(agent, 13) : ''}${pad(proj, project)}  ${pad(id, idWidth)}`.trimEnd();
  const shown = state.sessions.slice(0, Math.max(0, room - 2));
  const more = state.sessions.length - shown.length;
  return [
    [seg('Costliest sessions today', 'title'), seg(more > 0 ? ` (top ${shown.length} of ${state.sessions.length})` : '', 'dim')],
    [seg(row('Cost', 'Tokens', 'Agent', 'Project', 'Session'), 'dim')],
    // Agents, projects and session ids come from logs: shown with control characters escaped.
    ...shown.map((s) => [seg(row(formatUsd(s.costNanos), compactTokens(s.tokens), terminalText(s.agent), terminalText(basename(s.project)), terminalText(s.sessionId)))]),
  ];
}

function statusLine(state: LiveState | undefined, view: LiveView, width: number): Line {
  const keys = 'q quit';
  const note = state?.notes.at(-1);
  const every = view.intervalMs === 1000 ? 'every second' : `every ${view.intervalMs / 1000} s`;
  const left = note !== undefined ? terminalText(note) : `refreshing ${every}${view.sync ? ', new agent usage read as it is written' : ' (--no-sync: the ledger as it is)'}`;
  const room = Math.max(0, width - textWidth(keys) - 1);
  return [seg(pad(left, room), note === undefined ? 'dim' : 'warn'), seg(' '), seg(keys, 'title')];
}
