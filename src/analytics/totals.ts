import type { UsageTotals } from '../ledger/ledger.js';

/** Written out, not spread from `emptyTokens()`: reports make one per row and group. */
export function emptyTotals(): UsageTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    costNanos: 0,
    events: 0,
    unpricedEvents: 0,
  };
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

/** Usage by part (model, agent…), largest cost first when listed. */
export class Breakdown {
  readonly #parts = new Map<string, UsageTotals>();

  add(part: string, usage: UsageTotals): void {
    let totals = this.#parts.get(part);
    if (totals === undefined) {
      totals = emptyTotals();
      this.#parts.set(part, totals);
    }
    addTotals(totals, usage);
  }

  /** Parts by cost, then tokens, then name. */
  parts(): { name: string; totals: UsageTotals }[] {
    return [...this.#parts].map(([name, totals]) => ({ name, totals })).sort((a, b) => b.totals.costNanos - a.totals.costNanos || b.totals.events - a.totals.events || (a.name < b.name ? -1 : 1));
  }
}
