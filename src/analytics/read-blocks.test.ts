import { describe, expect, it } from 'vitest';
import { fixtureEachTest, type RecordedEvent } from '../testing/fixture-ledger.js';
import { readBlocks } from './blocks.js';
import { readProviderBlocks } from './provider-blocks.js';

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

  it('gives each provider\u2019s blocks as the whole history gives them, from a point in time too', async () => {
    // Anthropic in every quarter hour for four days; OpenAI every 3 hours, between them: never a pause for either.
    const events: RecordedEvent[] = [];
    for (let at = NOW - 4 * 24 * H + 7 * 60_000; at < NOW; at += Q) events.push({ occurredAt: at, costNanos: 1000, inputTokens: 10 });
    for (let at = NOW - 4 * 24 * H + 20 * 60_000; at < NOW; at += 3 * H) events.push({ occurredAt: at, costNanos: 7, outputTokens: 3, model: 'gpt-5', provider: 'openai', agent: 'codex-cli' });
    await t.fixture.record(events);
    const filter = { namespace: 'cost-tracking' };
    const whole = await readProviderBlocks(t.ledger, filter, 5 * H, NOW);
    expect(whole.map((p) => p.provider)).toEqual(['anthropic', 'openai']);
    // OpenAI's blocks start at its own requests, never at Anthropic's.
    expect(whole[1]?.blocks.every((b) => b.models.join() === 'gpt-5' && b.start % H === 0 && b.firstActivity - b.start === 15 * 60_000)).toBe(true);
    for (const keepFrom of [NOW, NOW - 24 * H]) {
      const part = await readProviderBlocks(t.ledger, filter, 5 * H, NOW, keepFrom);
      expect(part.map((p) => ({ provider: p.provider, blocks: p.blocks.filter((b) => b.end > keepFrom) }))).toEqual(
        whole.map((p) => ({ provider: p.provider, blocks: p.blocks.filter((b) => b.end > keepFrom) })),
      );
    }
    const openai = await readProviderBlocks(t.ledger, { ...filter, providers: ['openai'] }, 5 * H, NOW, NOW);
    expect(openai.map((p) => p.provider)).toEqual(['openai']);
  });
});
