import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { answerOn, notesText } from '../testing/report-answer.js';
import { FIXTURE_NOW, runCliOn } from '../testing/run-cli.js';
import { findReport } from './index.js';

const NOW = FIXTURE_NOW;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USD = 1e9;

// Prices pinned in the config so the re-priced figures do not move with the bundled catalog.
const PRICES = {
  'claude-opus-*': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  'claude-sonnet-*': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
  'claude-haiku-*': { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
};

let ledger: FixtureLedger;
beforeAll(async () => {
  ledger = new FixtureLedger();
  ledger.write('config/tokenledger/config.json', JSON.stringify({ prices: PRICES }));
  // Twenty quiet sessions, one costly one, over two weeks; two users; three models.
  const events = Array.from({ length: 20 }, (_, i) => ({
    occurredAt: NOW - (i % 14) * DAY - 2 * HOUR,
    sessionId: `s-${i}`,
    model: i % 3 === 0 ? 'claude-opus-4-5' : 'claude-sonnet-4-5',
    inputTokens: 2_000 + i * 100,
    outputTokens: 150 + i,
    cacheReadTokens: 10_000,
    costNanos: Math.round((0.5 + i / 50) * USD),
    user: i % 2 === 0 ? 'alice' : 'bob',
  }));
  events.push({ occurredAt: NOW - HOUR, sessionId: 's-big', model: 'claude-opus-4-5', inputTokens: 400_000, outputTokens: 90, cacheReadTokens: 0, costNanos: 40 * USD, user: 'alice' });
  events.push({ occurredAt: NOW - 3 * HOUR, sessionId: 's-haiku', model: 'claude-haiku-4-5', inputTokens: 5_000, outputTokens: 400, cacheReadTokens: 0, costNanos: USD / 100, user: 'bob' });
  await ledger.record(events);
  for (const args of [
    ['budget', 'set', '100', '--period', 'month'],
    ['budget', 'set', '5', '--period', 'today', '--scope', 'project:app'],
    ['budget', 'set', '30', '--period', '7d', '--scope', 'agent:claude'],
    ['keys', 'create', 'alice'],
    ['keys', 'create', 'bob', '--budget', '10'],
    ['keys', 'revoke', 'bob'],
  ]) {
    expect((await runCliOn(ledger, args, { now: NOW - DAY })).code).toBe(0);
  }
});
afterAll(() => ledger.remove());

/** `since=7d&user=alice` as the command line gives it: `--since 7d --user alice`. */
function argv(query: string): string[] {
  return [...new URLSearchParams(query)].flatMap(([name, value]) => (value === '' ? [`--${name}`] : [`--${name}`, value]));
}

// Each report, its command, and query strings whose answer must be the CLI's `--json` output byte for byte.
const CASES: { report: string; command: string[]; queries: string[]; args?: string[]; sync?: false }[] = [
  { report: 'projection', command: ['projection'], queries: ['', 'window=2d&horizons=10d,45d', 'alert-days-to-exhaust=30&timezone=America/New_York'] },
  { report: 'burn', command: ['burn'], queries: ['', 'bucket=12h&lookback=5d', 'alert-on-acceleration-pct=10&user=alice'] },
  { report: 'anomaly', command: ['anomaly'], queries: ['', 'since=7d&threshold=2', 'alert-on-outliers=1&since=2025-09-20&timezone=Asia/Tokyo', 'user=nobody'] },
  { report: 'counterfactual', command: ['counterfactual'], queries: ['', 'baseline=always-haiku,claude-opus-4-5&since=3d', 'user=bob'] },
  { report: 'optimize', command: ['optimize'], queries: ['', 'small-output=100&since=7d', 'machine=elsewhere'] },
  { report: 'budgets', command: ['budget', 'list'], queries: ['', 'timezone=Pacific/Auckland'] },
  { report: 'budgets', command: ['budget', 'get'], queries: ['period=month', 'scope=agent:claude-code', 'namespace=other'] },
  { report: 'budget-check', command: ['budget', 'check'], queries: ['', 'period=today', 'scope=global&period=7d', 'namespace=other'] },
  { report: 'keys', command: ['keys', 'usage'], queries: ['', 'namespace=other'], sync: false },
  { report: 'keys', command: ['keys', 'usage'], queries: ['', 'namespace=cost-tracking'], args: ['alice'], sync: false },
];

describe('analysis, budget and key reports: the CLI prints exactly the answer', () => {
  for (const c of CASES) {
    for (const query of c.queries) {
      it(`${c.command.join(' ')} ${c.args?.join(' ') ?? ''} ?${query}`, async () => {
        const report = findReport(c.report);
        if (report === undefined) throw new Error(`no report ${c.report}`);
        const args = c.args ?? [];
        const cli = await runCliOn(ledger, [...c.command, ...args, ...argv(query), '--json', ...(c.sync === false ? [] : ['--no-sync'])], { now: NOW });
        const answer = await answerOn(ledger, report, query, { args, now: NOW });
        expect(cli.stderr).toBe(notesText(answer));
        expect([cli.code, cli.stdout]).toEqual([answer.exit, answer.text]);
        expect(answer.text).toBe(`${JSON.stringify(answer.document, null, 2)}\n`);
      });
    }
  }

  it('compares documents that hold something: outliers, budgets, re-priced models, key meters, notes', async () => {
    const answer = async (name: string, query = '', args: string[] = []) => answerOn(ledger, findReport(name)!, query, { args, now: NOW });
    expect(((await answer('anomaly')).document as { outliers: { sessionId: string }[] }).outliers.map((o) => o.sessionId)).toContain('s-big');
    expect(((await answer('budgets')).document as { budgets: unknown[] }).budgets).toHaveLength(4); // and key:bob's
    expect(((await answer('projection')).document as { budgets: unknown[] }).budgets).toHaveLength(4); // and key:bob's
    expect(((await answer('counterfactual')).document as { baselines: unknown[] }).baselines).toHaveLength(3);
    expect(((await answer('keys')).document as { keys: { name: string; revoked: boolean }[] }).keys.map((k) => [k.name, k.revoked])).toEqual([
      ['alice', false],
      ['bob', true],
    ]);
    expect((await answer('anomaly', 'user=nobody')).notes).toEqual([expect.stringContaining('nobody')]);
  });

  it('answers what the CLI refuses, with the same error', async () => {
    const refused = await runCliOn(ledger, ['keys', 'usage', 'nobody', '--json'], { now: NOW });
    await expect(answerOn(ledger, findReport('keys')!, '', { args: ['nobody'], now: NOW })).rejects.toThrow('no gateway key named nobody in namespace cost-tracking');
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('no gateway key named nobody in namespace cost-tracking')]);
    await expect(answerOn(ledger, findReport('counterfactual')!, 'baseline=always-gpt', { now: NOW })).rejects.toThrow('unknown baseline "always-gpt"');
    await expect(answerOn(ledger, findReport('burn')!, 'bucket=30d&lookback=7d', { now: NOW })).rejects.toThrow();
    await expect(answerOn(ledger, findReport('projection')!, 'no-sync', { now: NOW })).rejects.toThrow("unknown option '--no-sync'");
  });
});
