import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProviderBlocks, type ProviderBlocks } from '../analytics/provider-blocks.js';
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
  await fixture.record(
    Array.from({ length: 4 * 36 }, (_, i) => ({ occurredAt: T0 + 20 * M + i * 40 * M, costNanos: 1000, inputTokens: 10 })),
    'steady',
  );
  // OpenAI usage every 7 hours, in between: its blocks are its own.
  await fixture.record(
    Array.from({ length: 14 }, (_, i) => ({ occurredAt: T0 + 3 * H + i * 7 * H, costNanos: 1000, inputTokens: 10, model: 'gpt-5', provider: 'openai', agent: 'codex-cli' })),
    'openai',
  );
  reader = await openLedger({ engine: 'sqlite', path: fixture.dbPath });
});
afterEach(async () => {
  await reader.close();
  fixture.remove();
});

/** Each provider's last `n` blocks, `n` taken from `part` (the tracker's read). */
const tail = (whole: ProviderBlocks[], part: ProviderBlocks[]) =>
  whole.map((w) => ({ provider: w.provider, blocks: w.blocks.slice(w.blocks.length - (part.find((p) => p.provider === w.provider)?.blocks.length ?? 0)) }));

describe('BlockTracker', () => {
  it('gives each provider\u2019s blocks of the whole history, reading only from its cuts between full reads', async () => {
    const tracker = new BlockTracker(10 * 60_000);
    const filter = { namespace: 'cost-tracking' };
    let now = T0 + 4 * 24 * H;
    // Without a pause to cut at, the first read already reads only the last blocks, as the whole history gives them.
    const first = await tracker.read(reader, filter, L, now);
    const history = await readProviderBlocks(reader, filter, L, now);
    expect(first.map((p) => p.provider)).toEqual(['anthropic', 'openai']);
    expect(first[0]?.blocks.length).toBeGreaterThanOrEqual(2);
    expect(first).toEqual(tail(history, first));
    // New usage arrives; a minute later the tracker reads from its cuts, and agrees with a full read.
    await fixture.record([{ occurredAt: now + 30 * 1000, costNanos: 5, outputTokens: 7 }], 'later');
    await fixture.record([{ occurredAt: now + 40 * 1000, costNanos: 5, outputTokens: 3, model: 'gpt-5', provider: 'openai', agent: 'codex-cli' }], 'later-openai');
    now += 60_000;
    const tracked = await tracker.read(reader, filter, L, now);
    const whole = await readProviderBlocks(reader, filter, L, now);
    expect(tracked).toEqual(tail(whole, tracked));
    expect(tracked.map((p) => p.blocks.at(-1)?.totals.outputTokens)).toEqual([7, 3]);
    expect(tracked[0]?.blocks.length).toBeLessThan(whole[0]?.blocks.length ?? 0);
  });
});
