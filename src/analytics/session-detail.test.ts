import { describe, expect, it } from 'vitest';
import { emptyTokens } from '../core/usage-event.js';
import type { EventRow } from '../ledger/ledger.js';
import { sessionDetail } from './session-detail.js';

const event = (costNanos: number, occurredAt: number): EventRow => ({ ...emptyTokens(), occurredAt, project: '/p', model: 'm', provider: 'p', costNanos, unpriced: false, sidechain: false });

describe('sessionDetail', () => {
  it('lists the costliest messages with their share and the p50/p90/p99 of message costs', () => {
    // Costs 10, 20, 30, 40, 100 (sum 200). Sorted: [10,20,30,40,100];
    // p50: h = 4·0.5 = 2 → 30; p90: h = 3.6 → 40 + 0.6·60 = 76; p99: h = 3.96 → 40 + 0.96·60 = 97.6 → 98.
    const d = sessionDetail([event(30, 3), event(100, 5), event(10, 1), event(40, 4), event(20, 2)], 2);
    expect(d.messages).toBe(5);
    expect(d.totalNanos).toBe(200);
    expect(d.percentiles).toEqual({ count: 5, p50: 30, p90: 76, p99: 98 });
    expect(d.top.map((e) => [e.costNanos, e.pctOfSession])).toEqual([
      [100, 50],
      [40, 20],
    ]);
  });

  it('handles an empty session and ties (earlier first)', () => {
    expect(sessionDetail([], 20)).toEqual({ messages: 0, totalNanos: 0, unpriced: 0, percentiles: undefined, byServiceTier: [], top: [] });
    expect(sessionDetail([event(5, 9), event(5, 1)], 20).top.map((e) => e.occurredAt)).toEqual([1, 9]);
  });
});
