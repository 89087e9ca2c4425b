import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (h: number, m: number): number => Date.UTC(2025, 9, 10, h, m);
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    { sessionId: 'a', occurredAt: at(9, 0), costNanos: 1 * USD },
    { sessionId: 'a', occurredAt: at(9, 10), costNanos: 3 * USD, model: 'claude-opus-4-5' },
    // Over two quarter hours later: a second conversation of session a.
    { sessionId: 'a', occurredAt: at(10, 30), costNanos: 2 * USD },
    { sessionId: 'b', occurredAt: at(8, 0), costNanos: 5 * USD, project: '/home/dev/api' },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, [...args, '--no-sync'], { now: NOW });

describe('conversation', () => {
  it('lists conversations, most recently started first, with messages, top model and cost', async () => {
    const r = await run(['conversation', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).conversations).toEqual([
      {
        startedAt: '2025-10-10T10:30:00.000Z',
        endedAt: '2025-10-10T10:45:00.000Z',
        sessionId: 'a',
        agent: 'claude-code',
        project: '/home/dev/app',
        messages: 1,
        topModel: 'claude-sonnet-4-5',
        models: 1,
        cost_usd: 2,
      },
      {
        startedAt: '2025-10-10T09:00:00.000Z',
        endedAt: '2025-10-10T09:15:00.000Z',
        sessionId: 'a',
        agent: 'claude-code',
        project: '/home/dev/app',
        messages: 2,
        topModel: 'claude-opus-4-5',
        models: 2,
        cost_usd: 4,
      },
      {
        startedAt: '2025-10-10T08:00:00.000Z',
        endedAt: '2025-10-10T08:15:00.000Z',
        sessionId: 'b',
        agent: 'claude-code',
        project: '/home/dev/api',
        messages: 1,
        topModel: 'claude-sonnet-4-5',
        models: 1,
        cost_usd: 5,
      },
    ]);
    expect(JSON.parse((await run(['conversation', '--limit', '1', '--json'])).stdout).conversations).toHaveLength(1);
    expect((await run(['conversation'])).stdout).toContain('claude-opus-4-5 +1');
  });

  it('exits 2 on a bad --limit', async () => {
    expect((await run(['conversation', '--limit', '0'])).code).toBe(2);
  });
});
