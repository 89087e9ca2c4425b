import { activeOutlook, type ActiveOutlook } from '../analytics/blocks.js';
import { readOfficialLimits, type OfficialLimit } from '../analytics/official-limits.js';
import type { Plan, PlanValue } from '../analytics/plan-value.js';
import { readPlanValues } from '../analytics/read-plan-values.js';
import { emptyTotals } from '../analytics/totals.js';
import type { BudgetStatus } from '../budgets/evaluate.js';
import type { GuardOptions } from '../budgets/guard.js';
import { budgetStatuses } from '../budgets/statuses.js';
import { billedTokens } from '../core/usage-event.js';
import type { LedgerReader, UsageRow, UsageTotals } from '../ledger/ledger.js';
import { BlockTracker } from './block-tracker.js';

/** Sessions read for the costliest list (the layout shows as many as fit). */
const SESSIONS_READ = 50;

export interface LiveSession {
  agent: string;
  sessionId: string;
  /** The project most of the session's cost today was spent in. */
  project: string;
  costNanos: number;
  tokens: number;
  requests: number;
}

/** Everything one frame of the live view shows. */
export interface LiveState {
  now: number;
  namespace: string;
  /** Start of today in the view's time zone. */
  todayStart: number;
  today: UsageTotals;
  sessionLengthMs: number;
  /** Each provider's active block (providers in name order; those without one left out). */
  active: ProviderOutlook[];
  limits: OfficialLimit[];
  budgets: BudgetStatus[];
  /** Today's sessions, costliest first. */
  sessions: LiveSession[];
  /** Things the last sync said (budget levels crossed, lines it could not read). */
  notes: string[];
  /** The configured subscription plans' value this plan month. */
  plans: PlanValue[];
}

/** A provider's active block: each provider meters its own window. */
export interface ProviderOutlook extends ActiveOutlook {
  provider: string;
}

export interface LiveQuery {
  namespace: string;
  now: number;
  /** The view's calendar and budget ladder (its `now` is the frame's). */
  guard: GuardOptions;
  sessionLengthMs: number;
  notes?: string[];
  /** Kept from frame to frame, so the blocks are not read from the whole history every second. */
  tracker?: BlockTracker;
  /** Subscription plans from the config, valued against this plan month's usage. */
  plans?: readonly Plan[];
}

type Reader = Pick<LedgerReader, 'usage' | 'latestRateLimits' | 'budgets' | 'spend'>;

/** Reads one frame's figures from the ledger. */
export async function readLiveState(reader: Reader, q: LiveQuery): Promise<LiveState> {
  const todayStart = q.guard.clock.startOfLocalDay(q.guard.clock.localDay(q.now));
  const today = { namespace: q.namespace, since: todayStart, until: q.now + 1 };
  const [totals, bySession, blocks, limits, budgets, plans] = await Promise.all([
    reader.usage(today, []),
    reader.usage(today, ['session', 'project']),
    (q.tracker ?? new BlockTracker()).read(reader, { namespace: q.namespace }, q.sessionLengthMs, q.now),
    readOfficialLimits(reader, q.now),
    budgetStatuses(reader, q.namespace, { ...q.guard, now: () => q.now }),
    readPlanValues(reader, q.namespace, q.plans, q.guard.clock, q.now),
  ]);
  return {
    now: q.now,
    namespace: q.namespace,
    todayStart,
    today: totals[0] ?? emptyTotals(),
    sessionLengthMs: q.sessionLengthMs,
    active: blocks.flatMap(({ provider, blocks: mine }) => {
      const outlook = activeOutlook(mine, q.now);
      return outlook === undefined ? [] : [{ provider, ...outlook }];
    }),
    limits,
    budgets,
    sessions: costliestSessions(bySession).slice(0, SESSIONS_READ),
    notes: q.notes ?? [],
    plans,
  };
}

/** Rows by session and project → one per session, costliest first. */
function costliestSessions(rows: readonly UsageRow[]): LiveSession[] {
  const sessions = new Map<string, LiveSession & { projectCost: number }>();
  for (const row of rows) {
    const key = `${row.agent ?? ''}\0${row.sessionId ?? ''}`;
    let s = sessions.get(key);
    if (s === undefined) sessions.set(key, (s = { agent: row.agent ?? '', sessionId: row.sessionId ?? '', project: '', costNanos: 0, tokens: 0, requests: 0, projectCost: -1 }));
    s.costNanos += row.costNanos;
    s.tokens += billedTokens(row);
    s.requests += row.events;
    if (row.costNanos > s.projectCost) {
      s.project = row.project ?? '';
      s.projectCost = row.costNanos;
    }
  }
  return [...sessions.values()].map(({ projectCost: _p, ...s }) => s).sort((a, b) => b.costNanos - a.costNanos || b.tokens - a.tokens || (a.sessionId < b.sessionId ? -1 : 1));
}
