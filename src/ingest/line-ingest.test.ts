import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { ingestLines, type LineIngestOptions } from './line-ingest.js';
import type { RecordTarget } from './record.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const usage = (extra: Record<string, unknown> = {}): string => JSON.stringify({ model: 'claude-sonnet-4-5', input_tokens: 1000, output_tokens: 100, ts: '2025-10-10T11:00:00Z', ...extra });
const spend = (taskId: string, usdSpent: number | string, tokensUsed: number, peerId = 'peer-a'): string =>
  JSON.stringify({ type: 'federation_spend', peerId, taskId, tokensUsed, usdSpent, ts: '2025-10-10T11:30:00Z' });

let fixture: FixtureLedger;
let ledger: Ledger;
let target: RecordTarget;
beforeEach(async () => {
  fixture = new FixtureLedger();
  ledger = await openLedger({ engine: 'sqlite', path: fixture.dbPath });
  target = { ledger, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] };
});
afterEach(async () => {
  await ledger.close();
  fixture.remove();
});

const ingest = (lines: string[], options: Partial<LineIngestOptions> = {}, name = 'stdin') =>
  ingestLines(target, { name, origin: `ingest:${name}`, chunks: [lines.map((l) => `${l}\n`).join('')] }, { now: NOW, ...options });

describe('ingestLines', () => {
  it('records good lines, drops bad ones with line and reason (kept in the ledger), skips blank lines', async () => {
    const seen: string[] = [];
    const report = await ingest([usage({ id: 'a' }), '', '{not json', usage({ input_tokens: -1 }), usage({ id: 'b', agent: 'my-agent' })], {
      onDrop: (d) => seen.push(`${d.path}:${d.line}: ${d.reason}`),
    });
    expect(report).toMatchObject({ records: 4, events: 2, inserted: 2, duplicates: 0, dropped: 2 });
    expect(seen).toEqual([expect.stringMatching(/^stdin:3: not valid JSON \(/), 'stdin:4: input_tokens must be a whole number ≥ 0, got -1']);
    expect(report.firstDrops.map((d) => d.line)).toEqual([3, 4]);
    expect((await fixture.events()).map((e) => [e.dedupKey, e.agent, e.sessionId, e.inputTokens, e.costNanos > 0])).toEqual([
      ['ingest:ingest:a', 'ingest', 'default', 1000, true],
      ['ingest:my-agent:b', 'my-agent', 'default', 1000, true],
    ]);
    expect((await fixture.read((l) => l.drops(100))).map(({ line, path }) => ({ line, path })).sort((a, b) => a.line - b.line)).toEqual([
      { line: 3, path: 'ingest:stdin' },
      { line: 4, path: 'ingest:stdin' },
    ]);
  });

  it('counts the same input once, however often it is ingested (ids, or content without ids)', async () => {
    const lines = [usage({ id: 'x' }), usage(), usage({ output_tokens: 7 })];
    expect(await ingest(lines)).toMatchObject({ events: 3, inserted: 3, duplicates: 0 });
    expect(await ingest(lines, {}, 'again.jsonl')).toMatchObject({ events: 3, inserted: 0, duplicates: 3 });
    // Two identical events without ids are one event.
    expect(await ingest([usage({ project: '/p' }), usage({ project: '/p' })])).toMatchObject({ events: 2, inserted: 1, duplicates: 1 });
    expect(await fixture.events()).toHaveLength(4);
  });

  it('commits in batches of the given size', async () => {
    let commits = 0;
    const lines = Array.from({ length: 25 }, (_, i) => usage({ id: `e${i}` }));
    const report = await ingest(lines, { batchSize: 10, onCommit: () => (commits += 1) });
    expect([report.inserted, commits]).toEqual([25, 3]);
  });

  it('keeps one federation report per peer and task: the larger running total wins', async () => {
    const first = await ingest([spend('t1', 0.1, 100), spend('t2', '0.30', 300), spend('t1', 0.1, 100, 'peer-b')]);
    expect(first).toMatchObject({ spends: 3, spendsInserted: 3, spendsUpdated: 0, spendsUnchanged: 0, events: 0 });
    const again = await ingest([spend('t1', 0.1, 100), spend('t1', 0.25, 250), spend('t2', 0.2, 200)]);
    expect(again).toMatchObject({ spends: 3, spendsInserted: 0, spendsUpdated: 1, spendsUnchanged: 2 });
    expect(await ledger.peerSpend('cost-tracking', 0, NOW + 1)).toEqual([
      { peerId: 'peer-a', tasks: 2, tokensUsed: 550, usdNanos: 550_000_000, lastAt: Date.UTC(2025, 9, 10, 11, 30) },
      { peerId: 'peer-b', tasks: 1, tokensUsed: 100, usdNanos: 100_000_000, lastAt: Date.UTC(2025, 9, 10, 11, 30) },
    ]);
  });

  it('drops a line longer than 1 MiB without holding it', async () => {
    const report = await ingest([`{"model":"${'m'.repeat(1 << 20)}"}`, usage({ id: 'ok' })]);
    expect(report).toMatchObject({ records: 2, events: 1, dropped: 1, firstDrops: [{ line: 1, reason: 'line is longer than 1 MiB' }] });
  });
});
