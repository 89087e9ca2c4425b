import { expect, it } from 'vitest';
import { eachEngine } from './each-engine.js';

const at = (h: number, m: number): number => Date.UTC(2025, 9, 1, h, m);
const GAP = 30 * 60_000;

eachEngine('conversations', (t) => {
  it('split a session where at least two whole quarter hours pass without a request', async () => {
    await t.record([
      { sessionId: 'a', occurredAt: at(10, 0), costNanos: 1 },
      { sessionId: 'a', occurredAt: at(10, 10), costNanos: 2, model: 'claude-opus-4-5' },
      // 10:40 is two quarter hours after 10:10's (10:00): one empty quarter hour between, same conversation.
      { sessionId: 'a', occurredAt: at(10, 40), costNanos: 4 },
      // 11:30 is four quarter hours after 10:30: a new conversation.
      { sessionId: 'a', occurredAt: at(11, 30), costNanos: 8 },
      { sessionId: 'b', occurredAt: at(9, 0), costNanos: 16 },
      { sessionId: 'other', occurredAt: at(9, 0), costNanos: 32, namespace: 'elsewhere' },
    ]);
    const l = t.ledger;
    expect(await l.conversationCount({ namespace: 'cost-tracking' }, GAP)).toBe(3);
    expect(await l.conversationCount({ namespace: 'cost-tracking', since: at(10, 30) }, GAP)).toBe(2);
    expect(await l.conversationCount({ namespace: 'nobody' }, GAP)).toBe(0);
    const recent = await l.conversations({ namespace: 'cost-tracking' }, GAP, 2);
    expect(recent.map((r) => [r.sessionId, new Date(r.startedAt).toISOString().slice(11, 16), new Date(r.endedAt).toISOString().slice(11, 16), r.model, r.events, r.costNanos])).toEqual([
      ['a', '11:30', '11:45', 'claude-sonnet-4-5', 1, 8],
      ['a', '10:00', '10:45', 'claude-sonnet-4-5', 2, 5],
      ['a', '10:00', '10:45', 'claude-opus-4-5', 1, 2],
    ]);
  });

  it('finds older conversations by looking further back, never cutting one at the look-back edge', async () => {
    const latest = Date.UTC(2025, 9, 20, 12);
    const week = 7 * 86_400_000;
    // x runs from 1 h before the one-week mark to 1 h after it, a request every 10 minutes.
    const x = Array.from({ length: 13 }, (_, i) => ({ sessionId: 'x', occurredAt: latest - week - 3_600_000 + i * 600_000, costNanos: 1 }));
    await t.record([...x, { sessionId: 'old', occurredAt: latest - 100 * 86_400_000, costNanos: 1 }, { sessionId: 'now', occurredAt: latest, costNanos: 1 }]);
    const l = t.ledger;
    const spans = (rows: Awaited<ReturnType<typeof l.conversations>>) => rows.map((r) => [r.sessionId, new Date(r.startedAt).toISOString(), r.events]);
    expect(spans(await l.conversations({ namespace: 'cost-tracking' }, GAP, 50))).toEqual([
      ['now', '2025-10-20T12:00:00.000Z', 1],
      ['x', '2025-10-13T11:00:00.000Z', 13],
      ['old', '2025-07-12T12:00:00.000Z', 1],
    ]);
    expect(spans(await l.conversations({ namespace: 'cost-tracking' }, GAP, 2))).toHaveLength(2);
    expect(spans(await l.conversations({ namespace: 'cost-tracking', since: latest - week }, GAP, 50))).toEqual([['now', '2025-10-20T12:00:00.000Z', 1]]);
  });
});
