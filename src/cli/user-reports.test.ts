import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleTurn } from '../hooks/sample-turn.js';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { openSqliteLedger } from '../ledger/engines/sqlite/index.js';
import type { Recorder } from '../ledger/recorder.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

const ADA: Recorder = { user: 'ada@lab', machine: 'machine-a' };
const BOB: Recorder = { user: 'bob@lab', machine: 'machine-b' };
const DAY1 = Date.UTC(2025, 9, 1, 10);
const DAY2 = Date.UTC(2025, 9, 2, 10);
const USD = 1_000_000_000;

let fx: FixtureLedger;

/** Records events as `recorder` would on its machine (an ingest origin). */
async function recordAs(recorder: Recorder, events: { key: string; session: string; at: number; usd: number }[]): Promise<void> {
  const ledger = openSqliteLedger(fx.dbPath, undefined, { recorder });
  try {
    const priceVersionId = await ledger.priceVersionId('fixture prices');
    const priced: PricedEvent[] = events.map((e) => ({
      ...emptyTokens(),
      inputTokens: 100,
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      sessionId: e.session,
      project: '/home/dev/app',
      dedupKey: e.key,
      namespace: 'cost-tracking',
      occurredAt: e.at,
      costNanos: e.usd * USD,
      unpriced: false,
      priceVersionId,
    }));
    await ledger.commit([{ origin: 'ingest:test', events: priced, rateLimits: [], drops: [] }]);
  } finally {
    await ledger.close();
  }
}

beforeEach(async () => {
  fx = new FixtureLedger();
  await recordAs(ADA, [
    { key: 'a1', session: 'sa', at: DAY1, usd: 1 },
    { key: 'a2', session: 'sa', at: DAY2, usd: 2 },
  ]);
  await recordAs(BOB, [{ key: 'b1', session: 'sb', at: DAY2, usd: 4 }]);
});
afterEach(() => fx.remove());

const cli = (args: string[]) => runCliOn(fx, [...args, '--no-sync'], { env: { USER: 'carol' } });
const json = async (args: string[]): Promise<any> => {
  // export prints JSON without being asked.
  const r = await cli(args[0] === 'export' ? args : [...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('who spent it', () => {
  it('daily --by user: a row per day and user', async () => {
    const doc = await json(['daily', '--by', 'user']);
    expect(doc.daily.map((d: any) => [d.date, d.user, d.totalCost])).toEqual([
      ['2025-10-01', 'ada@lab', 1],
      ['2025-10-02', 'ada@lab', 2],
      ['2025-10-02', 'bob@lab', 4],
    ]);
    expect(doc.totals.totalCost).toBe(7);
    const monthly = await json(['monthly', '--by', 'user']);
    expect(monthly.monthly.map((m: any) => [m.month, m.user, m.totalCost])).toEqual([
      ['2025-10', 'ada@lab', 3],
      ['2025-10', 'bob@lab', 4],
    ]);
    const table = await cli(['daily', '--by', 'user']);
    expect(table.stdout).toMatch(/User/);
    expect(table.stdout).toMatch(/2025-10-02.*bob@lab/);
    const csv = await cli(['daily', '--by', 'user', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^date,user,agents,/);
    expect(csv.stdout).toContain('2025-10-02,bob@lab,claude-code,');
    expect((await cli(['daily', '--by', 'team'])).code).toBe(2);
  });

  it('--user and --machine narrow every report', async () => {
    expect((await json(['daily', '--user', 'bob@lab'])).totals.totalCost).toBe(4);
    expect((await json(['daily', '--user', 'ada@lab,bob@lab'])).totals.totalCost).toBe(7);
    expect((await json(['weekly', '--machine', 'machine-a'])).totals.totalCost).toBe(3);
    expect((await json(['session', '--user', 'ada@lab'])).sessions.map((s: any) => s.sessionId)).toEqual(['sa']);
    expect((await json(['summary', '--machine', 'machine-b'])).total_cost_usd).toBe(4);
    expect((await json(['export', '--user', 'ada@lab'])).totalUsd).toBe(3);
    expect((await json(['conversation', '--user', 'bob@lab'])).conversations).toHaveLength(1);
    expect((await json(['counterfactual', '--user', 'bob@lab', '--since', '2025-09-01'])).actual_usd).toBe(4);
  });

  it('names the users and machines with usage when a filter matches none', async () => {
    const r = await cli(['daily', '--user', 'carol@lab', '--machine', 'machine-z']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: no usage recorded by user carol@lab; users with usage: ada@lab, bob@lab\n');
    expect(r.stderr).toContain('note: no usage recorded on machine machine-z; machines with usage: machine-a, machine-b\n');
    const summary = await cli(['summary', '--user', 'nobody', '--json']);
    expect(summary.stderr).toContain('note: no usage recorded by user nobody;');
    expect((await cli(['daily', '--user', 'bob@lab'])).stderr).not.toContain('note: no usage');
  });

  it('session shows who recorded each session; summary and export total per user', async () => {
    const sessions = await json(['session']);
    expect(sessions.sessions.map((s: any) => [s.sessionId, s.user, s.machine])).toEqual([
      ['sa', 'ada@lab', 'machine-a'],
      ['sb', 'bob@lab', 'machine-b'],
    ]);
    const detail = await json(['session', '--session-id', 'sb']);
    expect([detail.user, detail.machine]).toEqual(['bob@lab', 'machine-b']);
    const table = await cli(['session']);
    expect(table.stdout).toMatch(/User/);
    expect(table.stdout).toMatch(/sb.*bob@lab/);
    const summary = await json(['summary']);
    expect(summary.byUser).toEqual({ 'bob@lab': { total_cost_usd: 4, messageCount: 1 }, 'ada@lab': { total_cost_usd: 3, messageCount: 2 } });
    expect((await cli(['summary'])).stdout).toMatch(/By user[\s\S]*bob@lab/);
    const doc = await json(['export']);
    expect(doc.byUser).toEqual({ 'ada@lab': 3, 'bob@lab': 4 });
    expect(doc.sessions.map((s: any) => [s.sessionId, s.user])).toEqual([
      ['sb', 'bob@lab'],
      ['sa', 'ada@lab'],
    ]);
  });

  it('a sync records as $USER@hostname on this machine\'s id, or as config "user"', async () => {
    fx.write('claude/projects/-home-dev-web/s-new.jsonl', sampleTurn({ sessionId: 's-new', cwd: '/home/dev/web', turn: 1, at: DAY2 }));
    fx.write('claude/projects/-home-dev-web/s-cfg.jsonl', '');
    expect((await runCliOn(fx, ['sync'], { env: { USER: 'carol' } })).code).toBe(0);
    const machine = readFileSync(join(fx.env.HOME as string, '.local', 'state', 'tokenledger', 'machine-id'), 'utf8').trim();
    const sessions = await json(['session']);
    expect(sessions.sessions.find((s: any) => s.sessionId === 's-new').user).toBe(`carol@${hostname()}`);
    const cursorsOf = async (machine: string) => [...(await fx.read((l) => l.cursors(), { user: 'carol', machine })).keys()];
    expect((await cursorsOf(machine)).filter((path) => path.endsWith('s-new.jsonl'))).toHaveLength(1);
    expect((await cursorsOf('another')).filter((path) => path.endsWith('s-new.jsonl'))).toHaveLength(0);
    fx.write('config/tokenledger/config.json', JSON.stringify({ user: 'carol@team' }));
    fx.write('claude/projects/-home-dev-web/s-cfg.jsonl', sampleTurn({ sessionId: 's-cfg', cwd: '/home/dev/web', turn: 1, at: DAY2 }));
    expect((await runCliOn(fx, ['sync'], { env: { USER: 'carol' } })).code).toBe(0);
    expect((await json(['session', '--user', 'carol@team'])).sessions.map((s: any) => s.sessionId)).toEqual(['s-cfg']);
  });

  it("a user: budget counts that user's spend only", async () => {
    expect((await runCliOn(fx, ['budget', 'set', '5', '--period', 'all', '--scope', 'user:bob@lab'])).code).toBe(0);
    const list = await json(['budget', 'list']);
    expect(list.budgets.map((b: any) => [b.scope, b.spent_usd, b.sessionCount])).toEqual([['user:bob@lab', 4, 1]]);
  });
});
