/**
 * What the same requests would have cost on other models: each baseline re-prices every request's
 * tokens with that model's current prices and the same per-request rules (a request whose prompt
 * passes the baseline's long-context threshold pays its long-context rates), from usage summed by
 * model and prompt band. savings = baseline − actual; its percentage is of the baseline. A negative
 * saving means the requests cost more than the baseline would have: over-escalation to a pricier
 * model. Requests whose model had no price are left out of both sides (and counted).
 */
import type { UsageRow } from '../ledger/ledger.js';
import type { PriceBand } from './band-price.js';

export interface Baseline {
  /** As the user named it: `always-sonnet`, or a model name. */
  name: string;
  model: string;
  provider?: string;
}

export interface BaselineResult extends Baseline {
  costNanos: number;
  savingsNanos: number;
  /** Savings as a percentage of the baseline; null when the baseline costs nothing. */
  savingsPct: number | null;
  overEscalation: boolean;
  /** False when some of the model's long-context thresholds fall inside a prompt band (an estimate then). */
  exact: boolean;
}

export interface Counterfactual {
  actualNanos: number;
  events: number;
  /** Requests left out: their model had no price, so there is no actual cost to compare. */
  leftOut: { events: number; models: string[] };
  baselines: BaselineResult[];
}

export function counterfactual(rows: readonly UsageRow[], baselines: readonly Baseline[], price: PriceBand): Counterfactual {
  const priced = rows.filter((r) => r.unpricedEvents === 0);
  const unpriced = rows.filter((r) => r.unpricedEvents > 0);
  const actualNanos = priced.reduce((sum, r) => sum + r.costNanos, 0);
  const results = baselines.map((baseline): BaselineResult => {
    let costNanos = 0;
    let exact = true;
    for (const row of priced) {
      const p = price(baseline.model, baseline.provider, row);
      if (p === undefined) throw new Error(`no price for the baseline model ${baseline.model}`);
      costNanos += p.costNanos;
      exact &&= p.exact;
    }
    const savingsNanos = costNanos - actualNanos;
    return { ...baseline, costNanos, savingsNanos, savingsPct: costNanos === 0 ? null : (savingsNanos * 100) / costNanos, overEscalation: savingsNanos < 0, exact };
  });
  return {
    actualNanos,
    events: priced.reduce((sum, r) => sum + r.events, 0),
    leftOut: { events: unpriced.reduce((sum, r) => sum + r.events, 0), models: [...new Set(unpriced.map((r) => r.model ?? ''))].sort() },
    baselines: results,
  };
}
