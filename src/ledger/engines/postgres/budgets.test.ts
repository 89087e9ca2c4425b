import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { BudgetCrossing, CommitCheck, Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { postgresTestLocation, sumsDrift } from './test-schema.js';

const NS = 'team';
const T = Date.UTC(2025, 9, 10, 12);
const event = (key: string, costNanos: number, sessionId: string): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId,
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  outputTokens: 5,
  costNanos,
  priceVersionId: 1,
  unpriced: false,
  namespace: NS,
});

/** A HARD_STOP-like check: all-time spend at or past the budget's amount crosses `HARD_STOP`, once. */
function hardStop(announced: BudgetCrossing[]): CommitCheck {
  return {
    reads: (namespace, _span, budgets) => budgets.map((budget) => ({ budget, periodKey: 'all', filter: { namespace, scope: { kind: 'global' } } })),
    crossings: (read, spend) => (spend.costNanos >= read.budget.amountNanos ? [{ budgetId: read.budget.id, periodKey: read.periodKey, level: 'HARD_STOP', spentNanos: spend.costNanos, at: T }] : []),
    committed: (crossings) => announced.push(...crossings),
  };
}

let location: PostgresLocation;
let drop: () => Promise<void>;
let handles: Ledger[];
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
  handles = [];
  for (let i = 0; i < 4; i++) handles.push(await openLedger(location, { recorder: { user: `dev${i}`, machine: `m${i}` } }));
});
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await drop();
});

/** PostgreSQL-specific: four pools (four writers) at once, where SQLite has one writer at a time by construction. */
describe('budgets with four concurrent writers in one namespace', () => {
  it('sum exactly, and a crossing is recorded and announced once', async () => {
    const [first] = handles as [Ledger];
    await first.priceVersionId('p');
    const budget = await first.setBudget({ namespace: NS, scope: 'global', period: 'all', amountNanos: 100_000, setAt: T });
    const announced: BudgetCrossing[] = [];
    // 4 writers × 10 commits × 5 events of 1,000 nano-USD; every writer also commits a copy of
    // events of the others (the same keys), which must count once.
    await Promise.all(
      handles.map(async (ledger, w) => {
        for (let c = 0; c < 10; c++) {
          const own = Array.from({ length: 5 }, (_, i) => event(`w${w}-c${c}-${i}`, 1_000, `s${w}`));
          const shared = Array.from({ length: 2 }, (_, i) => event(`shared-c${c}-${i}`, 1_000, 'shared'));
          await ledger.commit([{ origin: `push:m${w}`, events: [...own, ...shared], rateLimits: [], drops: [] }], [hardStop(announced)]);
        }
      }),
    );
    const spend = await first.spend({ namespace: NS, scope: { kind: 'global' } });
    expect(spend.costNanos).toBe((4 * 10 * 5 + 10 * 2) * 1_000);
    expect(announced).toEqual([expect.objectContaining({ budgetId: budget.id, level: 'HARD_STOP', periodKey: 'all' })]);
    // The writer that crossed saw exactly the spend at its commit: at least the amount, less than it plus one commit.
    expect(announced[0]?.spentNanos).toBeGreaterThanOrEqual(100_000);
    expect(announced[0]?.spentNanos).toBeLessThan(100_000 + 7_000);
    expect(await first.crossings(NS, 0)).toHaveLength(1);
    // Alerting claims it once, whichever handle asks.
    const claims = await Promise.all(handles.map((h) => h.claimCrossing(announced[0] as BudgetCrossing, T)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Per-user sums: each writer's own sessions carry its recorder.
    for (let w = 0; w < 4; w++) {
      const mine = await first.usage({ namespace: NS, users: [`dev${w}`] }, []);
      expect(mine[0]?.events ?? 0).toBeGreaterThanOrEqual(50);
    }
    expect(await sumsDrift(location)).toEqual([]);
  });
});
