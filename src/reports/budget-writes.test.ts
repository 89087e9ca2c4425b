import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { FIXTURE_NOW, fixtureEnv, runCliOn } from '../testing/run-cli.js';
import { budgetSetJson, removeBudget, setBudget } from './budget-writes.js';
import { reportContext } from './context.js';
import type { ReportContext } from './report.js';

let ledger: FixtureLedger;
let app: App;
let ctx: ReportContext;
let notes: string[];
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([{ occurredAt: FIXTURE_NOW - 60_000, costNanos: 1e9 }]);
  const env = fixtureEnv(ledger);
  app = await openApp(loadConfig(undefined, env), undefined, env, () => {});
  notes = [];
  ctx = reportContext(app, { env, now: () => FIXTURE_NOW, note: (text) => notes.push(text) });
});
afterEach(async () => {
  await app.ledger.close();
  ledger.remove();
});

describe('setBudget and removeBudget: the budget writes the CLI and the server share', () => {
  it('validates, normalises the scope and period, writes, and says what it set', async () => {
    const budget = await setBudget(ctx, { namespace: 'cost-tracking', usd: '$12.5', scope: 'agent:claude', period: 'WEEK' });
    expect(budgetSetJson(budget)).toEqual({ namespace: 'cost-tracking', scope: 'agent:claude-code', period: 'week', budget_usd: 12.5, setAt: new Date(FIXTURE_NOW).toISOString() });
    expect(notes).toEqual([]);
    // Defaults: a monthly global budget.
    expect(await setBudget(ctx, { namespace: 'cost-tracking', usd: '40' })).toMatchObject({ scope: 'global', period: 'month', amountNanos: 40e9 });
    // The CLI lists what the function wrote.
    const listed = JSON.parse((await runCliOn(ledger, ['budget', 'list', '--json', '--no-sync'])).stdout) as { budgets: { scope: string; budget_usd: number }[] };
    expect(listed.budgets.map((b) => [b.scope, b.budget_usd])).toEqual(
      expect.arrayContaining([
        ['agent:claude-code', 12.5],
        ['global', 40],
      ]),
    );
  });

  it('notes a scope nothing was recorded under, and sets it all the same', async () => {
    await setBudget(ctx, { namespace: 'cost-tracking', usd: '5', scope: 'project:nowhere' });
    expect(notes).toEqual([expect.stringContaining('nowhere')]);
    expect((await app.ledger.budgets('cost-tracking')).map((b) => b.scope)).toEqual(['project:nowhere']);
  });

  it('refuses bad input before writing anything', async () => {
    for (const [request, message] of [
      [{ usd: '12.5.1' }, 'budget set expects an amount in US dollars such as 50 or 12.5, got "12.5.1"'],
      [{ usd: '-3' }, 'budget set expects an amount'],
      [{}, 'got ""'],
      [{ usd: '1', period: 'fortnight' }, '--period expects today, week, month, all or a rolling window'],
      [{ usd: '1', scope: 'planet:mars' }, 'scope'],
    ] as const) {
      await expect(setBudget(ctx, { namespace: 'cost-tracking', ...request })).rejects.toThrow(message);
    }
    expect(await app.ledger.budgets('cost-tracking')).toEqual([]);
  });

  it('removes a budget once: the second time there is none', async () => {
    await setBudget(ctx, { namespace: 'cost-tracking', usd: '5', period: '7d' });
    expect(await removeBudget(ctx, { namespace: 'cost-tracking', period: '7D' })).toEqual({ namespace: 'cost-tracking', scope: 'global', period: '7d', removed: true });
    expect((await removeBudget(ctx, { namespace: 'cost-tracking', period: '7d' })).removed).toBe(false);
    await expect(removeBudget(ctx, { namespace: 'cost-tracking', scope: 'nonsense' })).rejects.toThrow('scope');
  });
});
