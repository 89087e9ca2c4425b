import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const cli = (args: string[], stdin?: string) => runCliOn(ledger, args, { now: NOW, env: { COLUMNS: '200' }, ...(stdin === undefined ? {} : { stdin }) });
const spend = (peerId: string, taskId: string, usdSpent: number | string, tokensUsed: number, agoMs: number): string =>
  JSON.stringify({ type: 'federation_spend', peerId, taskId, tokensUsed, usdSpent, ts: new Date(NOW - agoMs).toISOString() });

describe('tokenledger federation', () => {
  it('says so when no peer reported spend, and exits 0', async () => {
    const r = await cli(['federation']);
    expect([r.code, r.stdout]).toEqual([0, 'No federated spend in the last 7 days (namespace cost-tracking); peers report it with `tokenledger ingest` (type "federation_spend").\n']);
    const json = await cli(['federation', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      namespace: 'cost-tracking',
      generatedAt: '2025-10-10T12:00:00.000Z',
      windows: ['1h', '24h', '7d'],
      peers: [],
      totals: { '1h': { usd: 0, tokens: 0, tasks: 0 }, '24h': { usd: 0, tokens: 0, tasks: 0 }, '7d': { usd: 0, tokens: 0, tasks: 0 } },
    });
  });

  it('takes --no-sync as every report does', async () => {
    const r = await cli(['federation', '--no-sync', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).peers).toEqual([]);
  });

  it('sums each peer over the rolling hour, day and week; a task reported again counts once, at its larger total', async () => {
    const input = [
      spend('alpha', 't1', 0.1, 1000, 10 * MIN),
      spend('alpha', 't1', '0.15', 1500, 5 * MIN), // the same task's running total: replaces the first report
      spend('alpha', 't2', 2, 20_000, 3 * HOUR),
      spend('alpha', 't3', 5, 50_000, 8 * DAY), // outside every window
      spend('beta', 'x', 1.25, 9000, 2 * DAY),
      spend('beta', 'y', 0.3, 100, 59 * MIN),
    ].join('\n');
    expect((await cli(['ingest'], input)).code).toBe(0);
    expect((await cli(['ingest'], input)).stderr).toBe('ingest stdin: 6 lines read: 6 federation reports (0 new, 0 raised, 6 unchanged).\n');
    const json = await cli(['federation', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      namespace: 'cost-tracking',
      generatedAt: '2025-10-10T12:00:00.000Z',
      windows: ['1h', '24h', '7d'],
      peers: [
        {
          peerId: 'alpha',
          lastReportAt: '2025-10-10T11:55:00.000Z',
          windows: { '1h': { usd: 0.15, tokens: 1500, tasks: 1 }, '24h': { usd: 2.15, tokens: 21_500, tasks: 2 }, '7d': { usd: 2.15, tokens: 21_500, tasks: 2 } },
        },
        {
          peerId: 'beta',
          lastReportAt: '2025-10-10T11:01:00.000Z',
          windows: { '1h': { usd: 0.3, tokens: 100, tasks: 1 }, '24h': { usd: 0.3, tokens: 100, tasks: 1 }, '7d': { usd: 1.55, tokens: 9100, tasks: 2 } },
        },
      ],
      totals: { '1h': { usd: 0.45, tokens: 1600, tasks: 2 }, '24h': { usd: 2.45, tokens: 21_600, tasks: 3 }, '7d': { usd: 3.7, tokens: 30_600, tasks: 4 } },
    });
    const table = await cli(['federation']);
    expect(table.code).toBe(0);
    const rows = table.stdout
      .split('\n')
      .filter((l) => l.startsWith('│'))
      .map((l) =>
        l
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(rows).toEqual([
      ['Peer', 'Spend 1h', 'Spend 24h', 'Spend 7d', 'Tokens 1h', 'Tokens 24h', 'Tokens 7d', 'Tasks 1h', 'Tasks 24h', 'Tasks 7d', 'Last report'],
      ['alpha', '$0.15', '$2.15', '$2.15', '1,500', '21,500', '21,500', '1', '2', '2', '5m ago'],
      ['beta', '$0.30', '$0.30', '$1.55', '100', '100', '9,100', '1', '1', '2', '59m ago'],
      ['Total', '$0.45', '$2.45', '$3.70', '1,600', '21,600', '30,600', '2', '3', '4', ''],
    ]);
    // summary counts the peers that reported spend in its last 24 hours.
    const summary = await cli(['summary', '--json', '--no-sync']);
    expect(JSON.parse(summary.stdout).federation).toEqual({ eventCount: 0, peerCount: 2, totalUsd24h: 0 });
    // Another namespace sees none of it.
    expect((await cli(['federation', '--namespace', 'other'])).stdout).toMatch(/^No federated spend/);
  });
});
