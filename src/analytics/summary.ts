import type { BudgetStatus } from '../budgets/evaluate.js';
import type { UsageRow } from '../ledger/ledger.js';
import type { PriceBand } from './band-price.js';
import { costByClass, type TokenClass } from './token-classes.js';
import { tierOf } from './tier.js';

/** The tiers every summary lists, spent on or not, so consumers can read them without checking. */
export const ALWAYS_LISTED_TIERS = ['haiku', 'sonnet', 'opus', 'unknown'] as const;

export interface ModelSummary {
  model: string;
  tier: string;
  costNanos: number;
  events: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
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
  topSession: { agent: string; sessionId: string; costNanos: number; events: number } | undefined;
  budget: BudgetStatus | undefined;
}

export interface SummaryInput {
  /** Usage by model and prompt band. */
  bands: readonly UsageRow[];
  /** Usage by session. */
  sessions: readonly UsageRow[];
  conversationCount: number;
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
      m = { model, tier: tierOf(model), costNanos: 0, events: 0, inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
      byModel.set(model, m);
    }
    m.costNanos += row.costNanos;
    m.events += row.events;
    m.inputTokens += row.inputTokens;
    m.outputTokens += row.outputTokens;
    m.cacheWriteTokens += row.cacheWrite5mTokens + row.cacheWrite1hTokens;
    m.cacheReadTokens += row.cacheReadTokens;
  }
  const models = [...byModel.values()].sort((a, b) => b.costNanos - a.costNanos || (a.model < b.model ? -1 : 1));
  const byTierNanos = new Map<string, number>(ALWAYS_LISTED_TIERS.map((t) => [t, 0]));
  for (const m of models) byTierNanos.set(m.tier, (byTierNanos.get(m.tier) ?? 0) + m.costNanos);
  let top: UsageRow | undefined;
  for (const s of input.sessions) if (top === undefined || s.costNanos > top.costNanos) top = s;
  return {
    totalNanos: models.reduce((sum, m) => sum + m.costNanos, 0),
    events: models.reduce((sum, m) => sum + m.events, 0),
    sessionCount: input.sessions.length,
    conversationCount: input.conversationCount,
    byTierNanos,
    byModel: models,
    byTokenClassNanos: costByClass(input.bands, input.price),
    topSession: top === undefined ? undefined : { agent: top.agent ?? '', sessionId: top.sessionId ?? '', costNanos: top.costNanos, events: top.events },
    budget: input.budget,
  };
}
