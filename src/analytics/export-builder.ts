import { nanosToUsd } from '../core/money.js';
import { sessionKey, type SessionInfo, type UsageRow, type UsageTotals } from '../ledger/ledger.js';
import { modelUsage, type ClassTokens, type ExportBudget, type ExportDocument, type ExportModelUsage, type ExportSession } from './export-document.js';
import { tierOf } from './tier.js';
import { addTotals, emptyTotals } from './totals.js';

/** The budget that decides (the most severe one), as plain figures. */
export interface ExportBudgetInput {
  period: string;
  scope: string;
  amountNanos: number;
  spentNanos: number;
  level: string;
  /** Epoch ms. */
  setAt: number;
}

export interface ExportInput {
  /** Usage by session, project and model (`usage(filter, ['session', 'project', 'model'])`) of the whole namespace. */
  sessionRows: readonly UsageRow[];
  /** First and last activity of each session, keyed by `sessionKey`: the list exported sessions are picked from. */
  sessions: ReadonlyMap<string, SessionInfo>;
  /** Usage by model (`usage(filter, ['model'])`) of the whole namespace: the totals. */
  modelRows: readonly UsageRow[];
  /** Usage by user (`usage(filter, ['user'])`) of the whole namespace (absent: no per-user totals). */
  userRows?: readonly UsageRow[];
  budget: ExportBudgetInput | undefined;
  /** Epoch ms: `exportedAt`, and each session's `capturedAt`. */
  now: number;
  namespace: string;
  /** How many sessions are listed: the most recently active ones. */
  maxSessions: number;
}

/** Usage of one session, summed from its rows. */
interface SessionUsage {
  user: string | undefined;
  totals: UsageTotals;
  models: Map<string, UsageTotals>;
  projects: Map<string, UsageTotals>;
}

/**
 * One snapshot of a namespace for the export sinks. The sessions listed are the `maxSessions` most
 * recently active, most recent first; the totals (`totalUsd`, `byTier`, `byTierTokens`) cover every
 * session of the namespace. Money is summed in nanos and turned into dollars once, at the end.
 */
export function buildExport(input: ExportInput): ExportDocument {
  const exportedAt = new Date(input.now).toISOString();
  const usage = usageBySession(input.sessionRows);
  const recent = [...input.sessions.values()].sort(byRecency).slice(0, input.maxSessions);

  const tierNanos = new Map<string, number>();
  const tierTokens = new Map<string, ClassTokens>();
  let totalNanos = 0;
  for (const row of input.modelRows) {
    const tier = tierOf(row.model ?? '');
    totalNanos += row.costNanos;
    tierNanos.set(tier, (tierNanos.get(tier) ?? 0) + row.costNanos);
    const tokens = tierTokens.get(tier) ?? { input: 0, output: 0, cache_write: 0, cache_read: 0 };
    tokens.input += row.inputTokens;
    tokens.output += row.outputTokens;
    tokens.cache_write += row.cacheWrite5mTokens + row.cacheWrite1hTokens;
    tokens.cache_read += row.cacheReadTokens;
    tierTokens.set(tier, tokens);
  }

  return {
    exportedAt,
    namespace: input.namespace,
    sessions: recent.map((info) => exportSession(info, usage.get(sessionKey(info.agent, info.sessionId)), exportedAt)),
    budget: input.budget === undefined ? null : exportBudget(input.budget),
    totalUsd: nanosToUsd(totalNanos),
    byTier: usdRecord(tierNanos),
    byTierTokens: Object.fromEntries(sortedEntries(tierTokens)),
    byUser: usdRecord(new Map((input.userRows ?? []).map((row) => [row.user ?? '', row.costNanos]))),
  };
}

/** Most recent last activity first; then the later start; then by agent and id, so the order never depends on the ledger's. */
function byRecency(a: SessionInfo, b: SessionInfo): number {
  return b.lastActivity - a.lastActivity || b.firstActivity - a.firstActivity || compare(a.agent, b.agent) || compare(a.sessionId, b.sessionId);
}

function usageBySession(rows: readonly UsageRow[]): Map<string, SessionUsage> {
  const out = new Map<string, SessionUsage>();
  for (const row of rows) {
    const key = sessionKey(row.agent ?? '', row.sessionId ?? '');
    let session = out.get(key);
    if (session === undefined) out.set(key, (session = { user: row.user, totals: emptyTotals(), models: new Map(), projects: new Map() }));
    addTotals(session.totals, row);
    add(session.models, row.model ?? '', row);
    add(session.projects, row.project ?? '', row);
  }
  return out;
}

function add(into: Map<string, UsageTotals>, name: string, row: UsageTotals): void {
  let totals = into.get(name);
  if (totals === undefined) into.set(name, (totals = emptyTotals()));
  addTotals(totals, row);
}

function exportSession(info: SessionInfo, usage: SessionUsage | undefined, capturedAt: string): ExportSession {
  const tierNanos = new Map<string, number>();
  // Object.fromEntries rather than assignment: a model named `__proto__` stays a key.
  const byModel: Record<string, ExportModelUsage> = Object.fromEntries(
    sortedEntries(usage?.models ?? new Map<string, UsageTotals>()).map(([model, t]) => {
      const entry = modelUsage(model, t);
      tierNanos.set(entry.tier, (tierNanos.get(entry.tier) ?? 0) + t.costNanos);
      return [model, entry];
    }),
  );
  return {
    sessionId: info.sessionId,
    agent: info.agent,
    ...(usage?.user === undefined ? {} : { user: usage.user }),
    cwd: mainProject(usage?.projects),
    startedAt: new Date(info.firstActivity).toISOString(),
    endedAt: new Date(info.lastActivity).toISOString(),
    messageCount: usage?.totals.events ?? 0,
    byModel,
    byTier: usdRecord(tierNanos),
    total_cost_usd: nanosToUsd(usage?.totals.costNanos ?? 0),
    capturedAt,
  };
}

/**
 * The project a session cost most in (then: most requests, then the first name), among the known
 * ones: an agent that did not log its working folder records the project as ''. Null when none is known.
 */
function mainProject(projects: ReadonlyMap<string, UsageTotals> | undefined): string | null {
  let best: [string, UsageTotals] | undefined;
  for (const entry of sortedEntries(projects ?? new Map<string, UsageTotals>())) {
    const [path, t] = entry;
    if (path === '') continue;
    if (best === undefined || t.costNanos > best[1].costNanos || (t.costNanos === best[1].costNanos && t.events > best[1].events)) best = entry;
  }
  return best?.[0] ?? null;
}

function exportBudget(b: ExportBudgetInput): ExportBudget {
  return {
    period: b.period,
    scope: b.scope,
    budget_usd: nanosToUsd(b.amountNanos),
    spent_usd: nanosToUsd(b.spentNanos),
    // As the budget ladder has it: any spend of a $0 budget is over it without bound.
    utilization: b.amountNanos > 0 ? b.spentNanos / b.amountNanos : b.spentNanos > 0 ? Number.POSITIVE_INFINITY : 0,
    level: b.level,
    setAt: new Date(b.setAt).toISOString(),
  };
}

/** Nanos by name → dollars by name, names in code-point order. */
function usdRecord(nanos: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(sortedEntries(nanos).map(([name, n]) => [name, nanosToUsd(n)]));
}

/** Code-point order, not the locale's: the document must not change with the machine it is built on. */
function sortedEntries<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => compare(a, b));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
