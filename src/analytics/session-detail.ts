import type { EventRow } from '../ledger/ledger.js';
import { messageCostPercentiles, type MessageCostPercentiles } from './percentiles.js';

export interface SessionDetail {
  messages: number;
  totalNanos: number;
  /** Messages whose model had no price (counted at $0). */
  unpriced: number;
  percentiles: MessageCostPercentiles | undefined;
  /** Messages and cost per service tier other than standard (fast mode, …), costliest first. */
  byServiceTier: { serviceTier: string; messages: number; costNanos: number }[];
  /** The costliest messages, with their share of the session's cost (percent). */
  top: (EventRow & { pctOfSession: number })[];
}

/** One session's messages: the costliest first, their share, and the spread of message costs. */
export function sessionDetail(events: readonly EventRow[], top: number): SessionDetail {
  const totalNanos = events.reduce((sum, e) => sum + e.costNanos, 0);
  const sorted = [...events].sort((a, b) => b.costNanos - a.costNanos || a.occurredAt - b.occurredAt);
  return {
    messages: events.length,
    totalNanos,
    unpriced: events.filter((e) => e.unpriced).length,
    percentiles: messageCostPercentiles(events.map((e) => e.costNanos)),
    byServiceTier: byServiceTier(events),
    top: sorted.slice(0, top).map((e) => ({ ...e, pctOfSession: totalNanos === 0 ? 0 : (e.costNanos / totalNanos) * 100 })),
  };
}

function byServiceTier(events: readonly EventRow[]): SessionDetail['byServiceTier'] {
  const tiers = new Map<string, SessionDetail['byServiceTier'][number]>();
  for (const e of events) {
    if (e.serviceTier === undefined) continue;
    const t = tiers.get(e.serviceTier) ?? { serviceTier: e.serviceTier, messages: 0, costNanos: 0 };
    t.messages += 1;
    t.costNanos += e.costNanos;
    tiers.set(e.serviceTier, t);
  }
  return [...tiers.values()].sort((a, b) => b.costNanos - a.costNanos || a.serviceTier.localeCompare(b.serviceTier));
}
