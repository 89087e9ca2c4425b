import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { directWrites } from './ledger-writes.js';
import { streamCursor } from './commit-stream.js';
import { journalBatch, SpillJournal, spillFolderFor } from './spill-journal.js';

const NS = 'cost-tracking';
const T = Date.UTC(2026, 2, 10, 12);
const LADDER = { timeZone: 'UTC', startOfWeek: 'monday' as const, thresholds: DEFAULT_THRESHOLDS };

let dir: string;
let ledger: Ledger;
let priceVersionId = 0;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-spill-'));
  ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') }, { recorder: { user: 'test@host', machine: 'm1' } });
  priceVersionId = await ledger.priceVersionId('test prices');
  await ledger.createKey({ namespace: NS, name: 'alice', secretHash: 'h', secretPrefix: 'tlk_x', createdAt: T - 1000 });
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function item(i: number): { event: PricedEvent; settlement: { namespace: string; key: string; costNanos: number; tokens: ReturnType<typeof emptyTokens>; at: number } } {
  const tokens = { ...emptyTokens(), inputTokens: 10, outputTokens: 5 };
  return {
    event: {
      ...tokens,
      agent: GATEWAY_AGENT,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      sessionId: 'alice',
      project: '',
      occurredAt: T + i,
      dedupKey: `gateway:spill-${i}`,
      namespace: NS,
      costNanos: 700,
      priceVersionId,
      unpriced: false,
    },
    settlement: { namespace: NS, key: 'alice', costNanos: 700, tokens, at: T + i },
  };
}

describe('spill journal', () => {
  it('keeps one folder per ledger, writes whole journals readable by their owner only, and replays them oldest first', async () => {
    const folder = spillFolderFor(join(dir, 'data'), await ledger.ledgerId());
    expect(folder).toBe(join(dir, 'data', 'gateway-spill', await ledger.ledgerId()));
    const journal = new SpillJournal(folder);
    expect(journal.journals()).toEqual([]);
    const first = journal.write([item(1), item(2)]);
    const second = journal.write([item(3)]);
    expect(journal.journals()).toEqual([first, second]);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder).some((n) => n.endsWith('.partial'))).toBe(false);
    expect(await journal.replay(directWrites(ledger, LADDER), 'gateway:test')).toBe(3);
    expect(journal.journals()).toEqual([]);
    const [meter] = await ledger.keyMeters(NS, ['alice']);
    expect(meter).toMatchObject({ promptCount: 3, costNanos: 2_100 });
  });

  it('records an unreadable line as dropped, with its line number, and commits the rest', async () => {
    const journal = new SpillJournal(join(dir, 'spill'));
    const path = journal.write([item(1)]);
    appendFileSync(path, '{"event": tru\n');
    expect(await journal.replay(directWrites(ledger, LADDER), 'gateway:test')).toBe(1);
    const drops = await ledger.drops(10);
    expect(drops).toEqual([expect.objectContaining({ path, line: 2, reason: expect.stringContaining('unreadable spilled request') })]);
  });
});

describe('a journal of a commit stream range', () => {
  it('is committed with the stream cursor either side of its range, its first line read as the range', () => {
    const journal = new SpillJournal(join(dir, 'spill'));
    const stream = 'gateway:127.0.0.1:8080:1-2-abc';
    const path = journal.write([item(1), item(2)], { path: stream, fromSeq: 5, toSeq: 7 });
    const batch = journalBatch(path, 'gateway:test');
    expect(batch.from).toEqual(streamCursor(stream, 5));
    expect(batch.to).toEqual(streamCursor(stream, 7));
    expect(batch.events.map((e) => e.dedupKey)).toEqual([item(1).event.dedupKey, item(2).event.dedupKey]);
    expect(batch.settlements).toHaveLength(2);
    expect(batch.drops).toEqual([]);
  });
});
