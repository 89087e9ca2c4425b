/**
 * Compares two `summary` snapshots (JSON written by other tools) and checks growth limits.
 *
 * Rules:
 * - A snapshot needs `total_cost_usd` (number), `byTier` ({name: USD}), `byModel` ({name: {cost_usd}})
 *   and `byTokenClass` ({input, output, cache_write, cache_read} in USD); `exportedAt`, when present,
 *   is a string. Amounts must be finite and ≥ 0. Anything else is BAD_INPUT naming the file and the
 *   JSON path. Extra fields are ignored: the contract only ever adds fields. Dollars become integer
 *   nano-USD on reading (round(usd · 1e9)), so differences are exact.
 * - Each breakdown covers the union of both snapshots' keys; a key missing on one side counts as $0.
 *   Lists are sorted by |delta| descending, ties by key (code-unit order). deltaPct is null when the
 *   baseline is 0 (growth from nothing has no percentage).
 * - Alerts fire only on growth, strictly above the limit, in this order: pct (total), usd (total),
 *   then each class limit in the order given. A baseline of $0 with a current above $0 counts as
 *   growth above any percentage limit (its `actual` is null). Limits must be finite and ≥ 0.
 */
import { TokenledgerError, badArgument } from '../core/errors.js';
import { NANOS_PER_USD, formatUsd } from '../core/money.js';

import { TOKEN_CLASSES, type TokenClass } from './token-classes.js';

export interface Snapshot {
  /** The file name, for messages. */
  name: string;
  exportedAt: string | undefined;
  totalNanos: number;
  byTierNanos: ReadonlyMap<string, number>;
  byModelNanos: ReadonlyMap<string, number>;
  byTokenClassNanos: Readonly<Record<TokenClass, number>>;
}

export interface Delta {
  key: string;
  baselineNanos: number;
  currentNanos: number;
  deltaNanos: number;
  /** Null when the baseline is 0. */
  deltaPct: number | null;
}

export interface Fired {
  kind: 'pct' | 'usd' | 'class-pct';
  /** `total`, or the token class. */
  key: string;
  /** The limit as given: percent for pct and class-pct, USD for usd. */
  limit: number;
  /** Same unit as `limit`; null for growth from $0 (no percentage). */
  actual: number | null;
  message: string;
}

export interface SnapshotDiff {
  total: Delta;
  byTier: Delta[];
  byModel: Delta[];
  byTokenClass: Delta[];
  alerts: Fired[];
}

export interface DiffAlerts {
  pct?: number;
  usd?: number;
  classPct?: Readonly<Record<string, number>>;
}

type Json = Record<string, unknown>;

export function readSnapshot(value: unknown, name: string): Snapshot {
  const fail = (message: string): TokenledgerError => new TokenledgerError('BAD_INPUT', `${name}: ${message}`);
  const object = (v: unknown, path: string): Json => {
    if (v === undefined) throw fail(`${path} is missing`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(`${path} must be an object, got ${typeName(v)}`);
    return v as Json;
  };
  const usd = (parent: Json, key: string, parentPath: string): number => {
    const path = childPath(parentPath, key);
    const v = own(parent, key);
    if (v === undefined) throw fail(`${path} is missing`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(`${path} must be a number of USD ≥ 0, got ${typeof v === 'number' ? v : typeName(v)}`);
    return Math.round(v * NANOS_PER_USD);
  };
  const root = object(value, '$');
  const exportedAt = own(root, 'exportedAt');
  if (exportedAt !== undefined && exportedAt !== null && typeof exportedAt !== 'string') throw fail(`$.exportedAt must be a string, got ${typeName(exportedAt)}`);
  const byTier = object(own(root, 'byTier'), '$.byTier');
  const byModel = object(own(root, 'byModel'), '$.byModel');
  const byClass = object(own(root, 'byTokenClass'), '$.byTokenClass');
  return {
    name,
    exportedAt: typeof exportedAt === 'string' ? exportedAt : undefined,
    totalNanos: usd(root, 'total_cost_usd', '$'),
    byTierNanos: new Map(Object.keys(byTier).map((tier) => [tier, usd(byTier, tier, '$.byTier')])),
    byModelNanos: new Map(
      Object.keys(byModel).map((model) => {
        const path = childPath('$.byModel', model);
        return [model, usd(object(own(byModel, model), path), 'cost_usd', path)];
      }),
    ),
    byTokenClassNanos: Object.fromEntries(TOKEN_CLASSES.map((cls) => [cls, usd(byClass, cls, '$.byTokenClass')])) as Record<TokenClass, number>,
  };
}

export function diffSnapshots(baseline: Snapshot, current: Snapshot, alerts: DiffAlerts): SnapshotDiff {
  const classLimits = Object.entries(alerts.classPct ?? {});
  for (const [cls, limit] of classLimits) {
    checkClass(cls);
    checkLimit(limit, `the ${cls} alert`);
  }
  if (alerts.pct !== undefined) checkLimit(alerts.pct, 'the percentage alert');
  if (alerts.usd !== undefined) checkLimit(alerts.usd, 'the USD alert');

  const total = delta('total', baseline.totalNanos, current.totalNanos);
  const byTokenClass = deltas(new Map(Object.entries(baseline.byTokenClassNanos)), new Map(Object.entries(current.byTokenClassNanos)));
  const fired: Fired[] = [];
  if (alerts.pct !== undefined && grewMoreThanPct(total, alerts.pct)) fired.push(pctAlert('pct', total, alerts.pct, 'total cost'));
  if (alerts.usd !== undefined && total.deltaNanos > Math.round(alerts.usd * NANOS_PER_USD)) {
    const message = `total cost grew by ${formatUsd(total.deltaNanos)} (${formatUsd(total.baselineNanos)} → ${formatUsd(total.currentNanos)}), above the ${formatUsd(Math.round(alerts.usd * NANOS_PER_USD))} limit`;
    fired.push({ kind: 'usd', key: 'total', limit: alerts.usd, actual: total.deltaNanos / NANOS_PER_USD, message });
  }
  for (const [cls, limit] of classLimits) {
    const d = byTokenClass.find((x) => x.key === cls) as Delta;
    if (grewMoreThanPct(d, limit)) fired.push(pctAlert('class-pct', d, limit, `${cls} cost`));
  }
  return {
    total,
    byTier: deltas(baseline.byTierNanos, current.byTierNanos),
    byModel: deltas(baseline.byModelNanos, current.byModelNanos),
    byTokenClass,
    alerts: fired,
  };
}

/** `input:20,cache_write:50` → {input: 20, cache_write: 50}; a trailing `%` on a number is allowed. */
export function parseClassAlerts(text: string): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const match = /^([a-z_]+)\s*:\s*(\d+(?:\.\d+)?)%?$/.exec(part);
    if (match === null) throw badArgument(`class alerts are class:percent pairs like input:20,cache_write:50; "${part}" is not one`);
    const [, cls = '', pct = ''] = match;
    checkClass(cls);
    if (Object.hasOwn(limits, cls)) throw badArgument(`class alert "${cls}" is given twice`);
    limits[cls] = Number(pct);
  }
  return limits;
}

function delta(key: string, baselineNanos: number, currentNanos: number): Delta {
  const deltaNanos = currentNanos - baselineNanos;
  // Multiply first: whole nanos ×100 stay exact, so +20 % is exactly 20, not 20.000000000000004.
  return { key, baselineNanos, currentNanos, deltaNanos, deltaPct: baselineNanos === 0 ? null : (deltaNanos * 100) / baselineNanos };
}

function deltas(baseline: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): Delta[] {
  const keys = new Set([...baseline.keys(), ...current.keys()]);
  return [...keys]
    .map((key) => delta(key, baseline.get(key) ?? 0, current.get(key) ?? 0))
    .sort((a, b) => Math.abs(b.deltaNanos) - Math.abs(a.deltaNanos) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function grewMoreThanPct(d: Delta, limitPct: number): boolean {
  return d.deltaPct === null ? d.currentNanos > 0 : d.deltaPct > limitPct;
}

function pctAlert(kind: 'pct' | 'class-pct', d: Delta, limit: number, what: string): Fired {
  const change = d.deltaPct === null ? `grew from ${formatUsd(0)} to ${formatUsd(d.currentNanos)}` : `grew ${d.deltaPct.toFixed(1)}% (${formatUsd(d.baselineNanos)} → ${formatUsd(d.currentNanos)})`;
  return { kind, key: kind === 'pct' ? 'total' : d.key, limit, actual: d.deltaPct, message: `${what} ${change}, above the ${limit}% limit` };
}

function checkClass(cls: string): void {
  if (!(TOKEN_CLASSES as readonly string[]).includes(cls)) {
    throw badArgument(`unknown token class "${cls}" in the class alerts; valid classes: ${TOKEN_CLASSES.join(', ')}`);
  }
}

function checkLimit(limit: number, what: string): void {
  if (!(Number.isFinite(limit) && limit >= 0)) throw badArgument(`${what} must be a number ≥ 0, got ${limit}`);
}

function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** `$.byModel["gpt-5"].cost_usd`: dots for identifier keys, brackets for the rest. */
function childPath(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
