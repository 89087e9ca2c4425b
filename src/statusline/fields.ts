/**
 * The status line's named fields: what each shows, and its value from the payload and the ledger's
 * figures. `--help`, the README and `--format` checks read this list.
 */
import type { ActiveOutlook } from '../analytics/blocks.js';
import type { PlanValue } from '../analytics/plan-value.js';
import { formatSpan } from '../core/duration.js';
import { formatUsd } from '../core/money.js';
import { terminalText } from '../core/terminal-text.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { StatusPayload } from './payload.js';

/** What the ledger says, read for one line. */
export interface StatusFigures {
  now: number;
  /** This session's cost (undefined: the ledger has none of it yet). */
  sessionCostNanos: number | undefined;
  todayCostNanos: number;
  /** The active block of the session's provider. */
  block: ActiveOutlook | undefined;
  /** The session's provider's subscription plan this plan month, when one is configured. */
  plan?: PlanValue | undefined;
}

export interface FieldContext {
  payload: StatusPayload;
  figures: StatusFigures;
  clock: ZoneClock;
  color: boolean;
}

export interface StatusField {
  name: string;
  /** For `--help` and the README. */
  about: string;
  value(c: FieldContext): string;
}

const M = 1_000_000;
const compact = (n: number): string => (n >= M ? `${(n / M).toFixed(n >= 10 * M ? 0 : 1)}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(Math.round(n)));

/** A percentage, yellow from 75 %, red from 90 % (when colour is on). */
function pct(value: number, color: boolean): string {
  const shown = `${Math.round(value)}%`;
  if (!color || value < 75) return shown;
  return `\u001b[${value >= 90 ? 31 : 33}m${shown}\u001b[39m`;
}

export const STATUS_FIELDS: readonly StatusField[] = [
  { name: 'model', about: "the session's model (its display name)", value: (c) => terminalText(c.payload.model ?? '') },
  {
    name: 'session',
    about: "this session's cost in the ledger (Claude Code's own estimate, marked ~, until the ledger has the session)",
    value: (c) => (c.figures.sessionCostNanos !== undefined ? formatUsd(c.figures.sessionCostNanos) : c.payload.costUsd !== undefined ? `~${formatUsd(Math.round(c.payload.costUsd * 1e9))}` : ''),
  },
  { name: 'today', about: "today's cost, every agent (local day of the config's time zone)", value: (c) => formatUsd(c.figures.todayCostNanos) },
  {
    name: 'block',
    about: "the cost so far of the active 5-hour block of the session's provider",
    value: (c) => (c.figures.block === undefined ? '' : formatUsd(c.figures.block.block.totals.costNanos)),
  },
  { name: 'left', about: 'the time left in that block (`2h 05m`)', value: (c) => (c.figures.block === undefined ? '' : formatSpan(c.figures.block.projection.remainingMs)) },
  {
    name: 'burn',
    about: "that block's burn rate, in dollars per hour since its first request",
    value: (c) => (c.figures.block === undefined ? '' : formatUsd(Math.round(c.figures.block.rate.costNanosPerHour))),
  },
  { name: 'projected', about: "that block's projected cost at its end, if the burn rate holds", value: (c) => (c.figures.block === undefined ? '' : formatUsd(c.figures.block.projection.costNanos)) },
  {
    name: 'context',
    about: 'the context window in use, from the payload (`42% (84k/200k)`)',
    value: (c) => {
      const ctx = c.payload.context;
      if (ctx === undefined) return '';
      const tokens = ctx.usedTokens !== undefined && ctx.limitTokens !== undefined ? ` (${compact(ctx.usedTokens)}/${compact(ctx.limitTokens)})` : '';
      return `${pct(ctx.usedPct, c.color)}${tokens}`;
    },
  },
  {
    name: 'limits',
    about: "the plan's official limits from the payload, for subscribers (`5h 42% ↻14:30 · 7d 12%`)",
    value: (c) => c.payload.limits.map((l) => `${l.label} ${pct(l.usedPct, c.color)}${l.resetsAt === undefined ? '' : ` ↻${c.clock.shortStamp(l.resetsAt, c.figures.now)}`}`).join(' · '),
  },
  {
    name: 'plan',
    about: "this plan month's API-equivalent cost against the provider's subscription plan (`plan $1,234 = 6.2x`; empty without `plans` in the config)",
    value: (c) => (c.figures.plan === undefined ? '' : `plan ${formatUsd(c.figures.plan.apiEquivalentNanos)} = ${c.figures.plan.multiple.toFixed(1)}x`),
  },
];

export const FIELD_NAMES: readonly string[] = STATUS_FIELDS.map((f) => f.name);

export function fieldValues(c: FieldContext): Record<string, string> {
  return Object.fromEntries(STATUS_FIELDS.map((f) => [f.name, f.value(c)]));
}
