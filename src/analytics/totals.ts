import { emptyTokens } from '../core/usage-event.js';
import type { UsageTotals } from '../ledger/ledger.js';

export function emptyTotals(): UsageTotals {
  return { ...emptyTokens(), costNanos: 0, events: 0, unpricedEvents: 0 };
}

export function addTotals(into: UsageTotals, from: UsageTotals): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.reasoningTokens += from.reasoningTokens;
  into.cacheWrite5mTokens += from.cacheWrite5mTokens;
  into.cacheWrite1hTokens += from.cacheWrite1hTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.costNanos += from.costNanos;
  into.events += from.events;
  into.unpricedEvents += from.unpricedEvents;
}

/** Totals that also know their parts by name (models, agents…), largest cost first when listed. */
export class Breakdown {
  readonly totals = emptyTotals();
  readonly #parts = new Map<string, UsageTotals>();

  add(part: string, usage: UsageTotals): void {
    addTotals(this.totals, usage);
    let totals = this.#parts.get(part);
    if (totals === undefined) {
      totals = emptyTotals();
      this.#parts.set(part, totals);
    }
    addTotals(totals, usage);
  }

  /** Parts by cost, then tokens, then name. */
  parts(): { name: string; totals: UsageTotals }[] {
    return [...this.#parts]
      .map(([name, totals]) => ({ name, totals }))
      .sort((a, b) => b.totals.costNanos - a.totals.costNanos || b.totals.events - a.totals.events || (a.name < b.name ? -1 : 1));
  }
}
