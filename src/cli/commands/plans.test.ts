import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    // In the plan month that began on 2025-09-15: $1,000 + $234 of Claude, $50 of GPT.
    { occurredAt: NOW - 2 * DAY, costNanos: 1_000 * USD, inputTokens: 10 },
    { occurredAt: NOW - 20 * DAY, costNanos: 234 * USD, inputTokens: 10 },
    { occurredAt: NOW - DAY, provider: 'openai', agent: 'codex-cli', model: 'gpt-5', costNanos: 50 * USD, inputTokens: 10 },
    // Before the plan month: not counted.
    { occurredAt: NOW - 30 * DAY, costNanos: 99 * USD, inputTokens: 10 },
  ]);
  ledger.write('config/tokenledger/config.json', JSON.stringify({ plans: [{ provider: 'anthropic', plan: 'Max 20x', startDay: 15 }] }));
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });
const LINE = 'Claude Max 20x (anthropic): $1,234 API-equivalent on a $200 plan: 6.2x this month (2025-09-15 to 2025-10-14)';
const JSON_PLAN = {
  provider: 'anthropic',
  plan: 'Claude Max 20x',
  monthlyUsd: 200,
  periodStart: '2025-09-15',
  periodEnd: '2025-10-14',
  costBasis: 'api-equivalent',
  apiEquivalentUsd: 1234,
  valueMultiple: 6.17,
};

describe('subscription plans in reports', () => {
  for (const command of ['daily', 'monthly']) {
    it(`${command} labels the plan's costs as API-equivalent and weighs them against the plan`, async () => {
      const text = await run([command]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Costs of anthropic are API-equivalent');
      expect(text.stdout).toContain(LINE);
      const json = await run([command, '--json']);
      expect(JSON.parse(json.stdout).plans).toEqual([JSON_PLAN]);
    });
  }

  it('summary carries the plan in JSON and text', async () => {
    const json = await run(['summary', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).plans).toEqual([JSON_PLAN]);
    expect((await run(['summary', '--format', 'markdown'])).stdout).toContain(LINE);
  });

  it('leaves reports as they were without plans', async () => {
    ledger.write('config/tokenledger/config.json', '{}');
    const json = await run(['daily', '--json']);
    expect(JSON.parse(json.stdout).plans).toBeUndefined();
    expect((await run(['daily'])).stdout).not.toContain('API-equivalent');
  });
});
