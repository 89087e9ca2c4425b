import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBlocks } from '../analytics/blocks.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { BlockTracker } from './block-tracker.js';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2025, 9, 1);
const L = 5 * H;

let fixture: FixtureLedger;
let reader: Ledger;
beforeEach(async () => {
  fixture = new FixtureLedger();
  // Usage every 40 minutes for four days: no pause long enough for an anchor, blocks chain back to the start.
  await fixture.record(Array.from({ length: 4 * 36 }, (_, i) => ({ occurredAt: T0 + 20 * M + i * 40 * M, costNanos: 1000, inputTokens: 10 })), 'steady');
  reader = openLedger({ engine: 'sqlite', path: fixture.dbPath });
});
afterEach(async () => {
  await reader.close();
  fixture.remove();
});

describe('BlockTracker', () => {
  it('gives the blocks of the whole history, reading only from its cut between full reads', async () => {
    const tracker = new BlockTracker(10 * 60_000);
    const filter = { namespace: 'cost-tracking' };
    let now = T0 + 4 * 24 * H;
    // Without a pause to cut at, the first read already reads only the last blocks, as the whole history gives them.
    const first = await tracker.read(reader, filter, L, now);
    const history = await readBlocks(reader, filter, L, now);
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(first).toEqual(history.slice(history.length - first.length));
    // New usage arrives; a minute later the tracker reads from its cut, and agrees with a full read.
    await fixture.record([{ occurredAt: now + 30 * 1000, costNanos: 5, outputTokens: 7 }], 'later');
    now += 60_000;
    const tracked = await tracker.read(reader, filter, L, now);
    const whole = await readBlocks(reader, filter, L, now);
    expect(tracked).toEqual(whole.slice(whole.length - tracked.length));
    expect(tracked.at(-1)?.totals.outputTokens).toBe(7);
    expect(tracked.length).toBeLessThan(whole.length);
  });
});
