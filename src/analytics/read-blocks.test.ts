import { describe, expect, it } from 'vitest';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { fixtureEachTest, type RecordedEvent } from '../testing/fixture-ledger.js';
import { readBlocks } from './blocks.js';

const H = 3_600_000;
const Q = 900_000;
const NOW = Date.UTC(2025, 9, 10, 12, 7);
const t = fixtureEachTest();

describe('readBlocks from a point in time', () => {
  it('gives the blocks the whole history gives, also when usage never pauses long enough to cut at', async () => {
    // Ten days with a request in every quarter hour (two models taking turns), a 40-minute pause once.
    const events: RecordedEvent[] = [];
    for (let at = NOW - 10 * 24 * H + 7 * 60_000; at < NOW; at += Q) {
      if (at > NOW - 3 * 24 * H && at < NOW - 3 * 24 * H + 40 * 60_000) continue;
      events.push({ occurredAt: at, costNanos: 1000, inputTokens: 10, outputTokens: 5, model: events.length % 2 === 0 ? 'claude-sonnet-4-5' : 'claude-haiku-4-5' });
    }
    await t.fixture.record(events);
    const filter = { namespace: 'cost-tracking' };
    for (const lengthH of [5, 2.5]) {
      const whole = await readBlocks(t.ledger, filter, lengthH * H, NOW);
      expect(whole.length).toBeGreaterThan(40);
      for (const keepFrom of [NOW, NOW - 24 * H, NOW - 3 * 24 * H - 30 * 60_000, NOW - 9 * 24 * H]) {
        const part = await readBlocks(t.ledger, filter, lengthH * H, NOW, keepFrom);
        const wanted = whole.filter((b) => b.end > keepFrom);
        expect(part.filter((b) => b.end > keepFrom)).toEqual(wanted);
      }
      // No pause to cut at: only the block that holds the instant and the one before it are read in detail.
      expect(await readBlocks(t.ledger, filter, lengthH * H, NOW, NOW - 20 * 60_000)).toEqual(whole.slice(-2));
    }
  });
});
