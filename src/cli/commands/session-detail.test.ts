import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (h: number): number => Date.UTC(2025, 9, 10, h);
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  // Session abc-1: messages of $1, $2, $3, $4 (total $10); p50 = 2.5, p90 = 3.7, p99 = 3.97.
  await ledger.record([
    { sessionId: 'abc-1', occurredAt: at(8), costNanos: 1 * USD, outputTokens: 10 },
    { sessionId: 'abc-1', occurredAt: at(9), costNanos: 4 * USD, cacheWrite5mTokens: 100, cacheWrite1hTokens: 50, model: 'claude-opus-4-5' },
    { sessionId: 'abc-1', occurredAt: at(10), costNanos: 2 * USD, model: 'claude-opus-4-6', serviceTier: 'fast' },
    { sessionId: 'abc-1', occurredAt: at(11), costNanos: 3 * USD, sidechain: true },
    { sessionId: 'abc-2', occurredAt: at(7), costNanos: 1 * USD },
    { sessionId: 'zzz', occurredAt: at(6), costNanos: 1 * USD, agent: 'codex-cli', provider: 'openai', model: 'gpt-5' },
  ]);
});
afterEach(() => ledger.remove());

const run = (args: string[]) => runCliOn(ledger, ['session', ...args, '--no-sync'], { now: NOW });

describe('session --session-id / --latest', () => {
  it('lists a session’s messages costliest first, with their share and the percentiles', async () => {
    const r = await run(['--session-id', 'abc-1', '--top', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect([body.sessionId, body.agent, body.project, body.messageCount, body.total_cost_usd]).toEqual(['abc-1', 'claude-code', '/home/dev/app', 4, 10]);
    expect(body.percentiles).toEqual({ p50_usd: 2.5, p90_usd: 3.7, p99_usd: 3.97 });
    expect(body.topMessages.map((m: any) => [m.at, m.model, m.cost_usd, m.pct_of_session, m.cache_creation_input_tokens, m.cache_creation_1h_input_tokens, m.sidechain])).toEqual([
      ['2025-10-10T09:00:00.000Z', 'claude-opus-4-5', 4, 40, 150, 50, false],
      ['2025-10-10T11:00:00.000Z', 'claude-sonnet-4-5', 3, 30, 0, 0, true],
    ]);
    const table = (await run(['--session-id', 'abc-1'])).stdout;
    expect(table).toContain('Message cost: p50 $2.50, p90 $3.70, p99 $3.97');
    expect(table).toContain('150 (1h 50)');
    const csv = (await run(['--session-id', 'abc-1', '--format', 'csv', '--top', '1'])).stdout;
    expect(csv).toBe(
      'at,model,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,cost_usd,pct_of_session,sidechain,service_tier\r\n2025-10-10T09:00:00.000Z,claude-opus-4-5,0,0,100,50,0,4,40,no,standard\r\n',
    );
  });

  it('shows which messages were served in fast mode, and what fast mode cost in the session', async () => {
    const body = JSON.parse((await run(['--session-id', 'abc-1', '--json'])).stdout);
    expect(body.serviceTiers).toEqual([{ service_tier: 'fast', messages: 1, cost_usd: 2 }]);
    expect(body.topMessages.map((m: any) => [m.model, m.service_tier])).toEqual([
      ['claude-opus-4-5', 'standard'],
      ['claude-sonnet-4-5', 'standard'],
      ['claude-opus-4-6', 'fast'],
      ['claude-sonnet-4-5', 'standard'],
    ]);
    const table = (await run(['--session-id', 'abc-1'])).stdout;
    expect(table).toContain('Served in fast mode: 1 messages, $2.00');
    expect(table).toContain('claude-opus-4-6 [fast]');
  });

  it('takes --since, a unique prefix, --latest and --agent', async () => {
    expect(JSON.parse((await run(['--session-id', 'abc-1', '--since', '2025-10-10T09:30:00Z', '--json'])).stdout).total_cost_usd).toBe(5);
    expect(JSON.parse((await run(['--session-id', 'zz', '--json'])).stdout).sessionId).toBe('zzz');
    expect(JSON.parse((await run(['--latest', '--json'])).stdout).sessionId).toBe('abc-1');
    expect(JSON.parse((await run(['--latest', '--agent', 'codex', '--json'])).stdout).sessionId).toBe('zzz');
  });

  it('exits 2 when the session is unknown or ambiguous, or flags conflict', async () => {
    const cases: [string[], string][] = [
      [['--session-id', 'nope'], 'no session "nope" in the ledger'],
      [['--session-id', 'abc'], '"abc" names 2 sessions: abc-1 (claude-code), abc-2 (claude-code)'],
      [['--session-id', 'abc-1', '--latest'], 'give --session-id ID or --latest, not both'],
      [['--latest', '--top', '0'], '--top expects a whole number'],
      [['--latest', '--since', 'noon'], '--since expects'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect([r.code, r.stderr.includes(message)], args.join(' ')).toEqual([2, true]);
    }
  });
});
