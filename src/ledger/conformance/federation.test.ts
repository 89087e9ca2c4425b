import { expect, it } from 'vitest';
import type { CommitCheck, FederationSpend } from '../ledger.js';
import { eachEngine } from './each-engine.js';

const H = 3_600_000;
const T = Date.UTC(2025, 9, 10, 12);

const spend = (peerId: string, taskId: string, usdNanos: number, tokensUsed: number, occurredAt: number, namespace = 'ns'): FederationSpend => ({
  namespace,
  peerId,
  taskId,
  usdNanos,
  tokensUsed,
  occurredAt,
});

eachEngine('federation spend', (t) => {
  it('keeps a task once per peer; a larger report of it stands', async () => {
    expect(await t.ledger.recordFederation([spend('a', 't1', 100, 10, T - 2 * H), spend('a', 't2', 50, 5, T - 30 * H), spend('b', 't1', 70, 7, T - 60_000)])).toEqual({
      inserted: 3,
      updated: 0,
      duplicates: 0,
    });
    expect(await t.ledger.recordFederation([spend('a', 't1', 100, 10, T - 2 * H), spend('a', 't1', 90, 20, T), spend('a', 't1', 150, 12, T - H)])).toEqual({
      inserted: 0,
      updated: 1,
      duplicates: 2,
    });
    expect(await t.ledger.peerSpend('ns', T - 24 * H, T + 1)).toEqual([
      { peerId: 'a', tasks: 1, tokensUsed: 12, usdNanos: 150, lastAt: T - H },
      { peerId: 'b', tasks: 1, tokensUsed: 7, usdNanos: 70, lastAt: T - 60_000 },
    ]);
    expect((await t.ledger.peerSpend('ns', T - 7 * 24 * H, T + 1)).find((p) => p.peerId === 'a')).toMatchObject({ tasks: 2, usdNanos: 200 });
    expect(await t.ledger.peerSpend('other', 0, T + 1)).toEqual([]);
  });
});

eachEngine('alert claims', (t) => {
  it('hand a recorded crossing to exactly one claimant until it is released', async () => {
    const budget = await t.ledger.setBudget({ namespace: 'ns', scope: 'global', period: 'month', amountNanos: 1000, setAt: T });
    // A check that reads the spend of the budget and records a crossing whatever it finds.
    const crossing0 = { budgetId: budget.id, periodKey: '2025-10', level: 'WARNING', spentNanos: 800, at: T };
    const check: CommitCheck = {
      reads: (namespace, _span, budgets) => budgets.map((b) => ({ budget: b, periodKey: '2025-10', filter: { namespace, scope: { kind: 'global' } } })),
      crossings: () => [crossing0],
    };
    await t.record([{ occurredAt: T, namespace: 'ns', costNanos: 10 }], 'events', [check]);
    const crossings = await t.ledger.crossings('ns', T - H);
    expect(crossings.map((c) => [c.level, c.notifiedAt])).toEqual([['WARNING', undefined]]);
    const crossing = crossings[0]!;
    expect(crossing.budget).toMatchObject({ scope: 'global', period: 'month', amountNanos: 1000 });
    expect(await t.ledger.claimCrossing(crossing, T + 1)).toBe(true);
    expect(await t.ledger.claimCrossing(crossing, T + 2)).toBe(false);
    expect((await t.ledger.crossings('ns', 0))[0]?.notifiedAt).toBe(T + 1);
    await t.ledger.releaseCrossing(crossing);
    expect(await t.ledger.claimCrossing(crossing, T + 3)).toBe(true);
    expect(await t.ledger.crossings('ns', T + 1)).toEqual([]);
  });
});
