import type { BudgetStatus } from '../budgets/evaluate.js';
import type { UsageRow, UsageTotals } from '../ledger/ledger.js';
import type { PriceBand } from './band-price.js';
import { costByClass, type TokenClass } from './token-classes.js';
import { tierOf } from './tier.js';
import { addTotals, emptyTotals } from './totals.js';

/** The tiers every summary lists, spent on or not, so consumers can read them without checking. */
export const ALWAYS_LISTED_TIERS = ['haiku', 'sonnet', 'opus', 'unknown'] as const;

export interface ModelSummary {
  model: string;
  tier: string;
  totals: UsageTotals;
}

export interface Summary {
  totalNanos: number;
  events: number;
  sessionCount: number;
  conversationCount: number;
  byTierNanos: Map<string, number>;
  /** Costliest first. */
  byModel: ModelSummary[];
  byTokenClassNanos: Record<TokenClass, number>;
  /** Per user who recorded usage, costliest first. */
  byUser: UserSummary[];
  topSession: { agent: string; sessionId: string; costNanos: number; events: number } | undefined;
  budget: BudgetStatus | undefined;
}

export interface UserSummary {
  user: string;
  costNanos: number;
  events: number;
}

export interface SummaryInput {
  /** Usage by model and prompt band. */
  bands: readonly UsageRow[];
  /** Usage by session. */
  sessions: readonly UsageRow[];
  conversationCount: number;
  /** Usage by user (absent: no per-user figures). */
  users?: readonly UsageRow[];
  budget: BudgetStatus | undefined;
  /** Today's prices, to split each model's recorded cost by token class. */
  price: PriceBand;
}

/** The figures of `tokenledger summary`: totals by tier, model and token class, the costliest session. */
export function summarize(input: SummaryInput): Summary {
  const byModel = new Map<string, ModelSummary>();
  for (const row of input.bands) {
    const model = row.model ?? '';
    let m = byModel.get(model);
    if (m === undefined) {
      m = { model, tier: tierOf(model), totals: emptyTotals() };
      byModel.set(model, m);
    }
    addTotals(m.totals, row);
  }
  const models = [...byModel.values()].sort((a, b) => b.totals.costNanos - a.totals.costNanos || (a.model < b.model ? -1 : 1));
  const byTierNanos = new Map<string, number>(ALWAYS_LISTED_TIERS.map((t) => [t, 0]));
  for (const m of models) byTierNanos.set(m.tier, (byTierNanos.get(m.tier) ?? 0) + m.totals.costNanos);
  let top: UsageRow | undefined;
  for (const s of input.sessions) if (top === undefined || s.costNanos > top.costNanos) top = s;
  return {
    totalNanos: models.reduce((sum, m) => sum + m.totals.costNanos, 0),
    events: models.reduce((sum, m) => sum + m.totals.events, 0),
    sessionCount: input.sessions.length,
    conversationCount: input.conversationCount,
    byTierNanos,
    byModel: models,
    byTokenClassNanos: costByClass(input.bands, input.price),
    byUser: (input.users ?? []).map((u) => ({ user: u.user ?? '', costNanos: u.costNanos, events: u.events })).sort((a, b) => b.costNanos - a.costNanos || (a.user < b.user ? -1 : 1)),
    topSession: top === undefined ? undefined : { agent: top.agent ?? '', sessionId: top.sessionId ?? '', costNanos: top.costNanos, events: top.events },
    budget: input.budget,
  };
}
