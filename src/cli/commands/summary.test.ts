import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const HOUR = 3_600_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    // Opus 4.5 ($5 in, $25 out, $0.50 cache read per million), one session, two conversations (2 h apart).
    { sessionId: 's1', occurredAt: NOW - 30 * HOUR, model: 'claude-opus-4-5', inputTokens: 200_000, outputTokens: 80_000, costNanos: 3 * USD },
    { sessionId: 's1', occurredAt: NOW - 28 * HOUR, model: 'claude-opus-4-5', cacheReadTokens: 2_000_000, costNanos: 1 * USD },
    // Sonnet 4.5: 100,000 one-hour cache writes ($6/M) + 20,000 output ($15/M) = $0.60 + $0.30.
    { sessionId: 's2', occurredAt: NOW - HOUR, model: 'claude-sonnet-4-5', cacheWrite1hTokens: 100_000, outputTokens: 20_000, costNanos: 0.9 * USD },
    { sessionId: 's3', occurredAt: NOW - 2 * HOUR, model: 'mystery-model', provider: 'nobody', inputTokens: 10, costNanos: 0, unpriced: true },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, args[0] === 'budget' ? args : [...args, '--no-sync'], { now: NOW });

describe('summary', () => {
  it('keeps the contract: totals by tier, model and token class, top session, budget, federation', async () => {
    await run(['budget', 'set', '10']);
    const notRepo = join(ledger.dir, 'plain');
    mkdirSync(notRepo);
    const r = await run(['summary', '--json', '--repo', notRepo]);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s).slice(0, 13)).toEqual([
      'exportedAt',
      'git',
      'total_cost_usd',
      'sessionCount',
      'conversationCount',
      'byTier',
      'byModel',
      'byTokenClass',
      'topSession',
      'budget',
      'federation',
      'namespace',
      'messageCount',
    ]);
    expect(s.exportedAt).toBe('2025-10-10T12:00:00.000Z');
    expect(s.git).toBeNull();
    expect([s.total_cost_usd, s.sessionCount, s.conversationCount, s.messageCount]).toEqual([4.9, 3, 4, 4]);
    expect(s.byTier).toEqual({ haiku: 0, sonnet: 0.9, opus: 4, unknown: 0, mystery: 0 });
    expect(s.byModel['claude-opus-4-5']).toEqual({
      tier: 'opus',
      cost_usd: 4,
      messages: 2,
      input_tokens: 200_000,
      output_tokens: 80_000,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2_000_000,
    });
    expect(s.byModel['claude-sonnet-4-5'].cache_creation_input_tokens).toBe(100_000);
    // Each model's recorded cost split in the proportions its classes cost at today's prices.
    expect(s.byTokenClass).toEqual({ input: 1, output: 2.3, cache_write: 0.6, cache_read: 1 });
    expect(s.topSession).toEqual({ sessionId: 's1', total_cost_usd: 4, messageCount: 2, agent: 'claude-code' });
    expect(s.budget).toEqual({ budget_usd: 10, setAt: '2025-10-10T12:00:00.000Z', spent_usd: 4.9, utilization: 0.49, level: 'OK', scope: 'global', period: 'month' });
    expect(s.federation).toEqual({ eventCount: 4, peerCount: 0, totalUsd24h: 0.9 });
  });

  it('records the git commit of --repo', async () => {
    const repo = join(ledger.dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'feature');
    writeFileSync(join(repo, 'a.txt'), 'a');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'a');
    const sha = git('rev-parse', 'HEAD');
    const clean = JSON.parse((await run(['summary', '--json', '--repo', repo])).stdout).git;
    expect(clean).toEqual({ sha, shaShort: sha.slice(0, 7), branch: 'feature', isDirty: false });
    writeFileSync(join(repo, 'a.txt'), 'b');
    expect(JSON.parse((await run(['summary', '--json', '--repo', repo])).stdout).git.isDirty).toBe(true);
  });

  it('refuses a --repo folder that does not exist, with exit 2 and the path', async () => {
    const missing = join(ledger.dir, 'nonexistent');
    const r = await run(['summary', '--json', '--repo', missing]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(`--repo ${missing}: no such folder`);
  });

  it('narrows to --since, and prints markdown for pull requests', async () => {
    const recent = JSON.parse((await run(['summary', '--json', '--since', '1d'])).stdout);
    expect([recent.total_cost_usd, recent.sessionCount, recent.topSession.sessionId]).toEqual([0.9, 2, 's2']);
    const md = (await run(['summary', '--format', 'markdown'])).stdout;
    expect(md).toContain('### By tier');
    expect(md).toContain('| opus | $4.00 | 81.6% |');
    expect((await run(['summary', '--since', 'tomorrow'])).code).toBe(2);
    expect((await run(['summary', '--since', '1d', '--until', '2d'])).code).toBe(2);
  });
});
