import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { openLedger } from '../../open-ledger.js';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const at = (h: number, m: number): number => Date.UTC(2025, 9, 1, h, m);
const GAP = 30 * 60_000;

describe('conversations', () => {
  it('split a session where at least two whole quarter hours pass without a request', async () => {
    await ledger.record([
      { sessionId: 'a', occurredAt: at(10, 0), costNanos: 1 },
      { sessionId: 'a', occurredAt: at(10, 10), costNanos: 2, model: 'claude-opus-4-5' },
      // 10:40 is two quarter hours after 10:10's (10:00): one empty quarter hour between, same conversation.
      { sessionId: 'a', occurredAt: at(10, 40), costNanos: 4 },
      // 11:30 is four quarter hours after 10:30: a new conversation.
      { sessionId: 'a', occurredAt: at(11, 30), costNanos: 8 },
      { sessionId: 'b', occurredAt: at(9, 0), costNanos: 16 },
      { sessionId: 'other', occurredAt: at(9, 0), costNanos: 32, namespace: 'elsewhere' },
    ]);
    const l = openLedger({ engine: 'sqlite', path: ledger.dbPath });
    try {
      expect(await l.conversationCount({ namespace: 'cost-tracking' }, GAP)).toBe(3);
      expect(await l.conversationCount({ namespace: 'cost-tracking', since: at(10, 30) }, GAP)).toBe(2);
      expect(await l.conversationCount({ namespace: 'nobody' }, GAP)).toBe(0);
      const recent = await l.conversations({ namespace: 'cost-tracking' }, GAP, 2);
      expect(recent.map((r) => [r.sessionId, new Date(r.startedAt).toISOString().slice(11, 16), new Date(r.endedAt).toISOString().slice(11, 16), r.model, r.events, r.costNanos])).toEqual([
        ['a', '11:30', '11:45', 'claude-sonnet-4-5', 1, 8],
        ['a', '10:00', '10:45', 'claude-sonnet-4-5', 2, 5],
        ['a', '10:00', '10:45', 'claude-opus-4-5', 1, 2],
      ]);
    } finally {
      await l.close();
    }
  });
});
