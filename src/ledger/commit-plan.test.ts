import { describe, expect, it } from 'vitest';
import type { PricedEvent } from '../core/usage-event.js';
import { outranking, outranks, settleCopies, type Ranked } from './commit-plan.js';
import type { CommitBatch } from './ledger.js';

function event(key: string, output: number, extra: Partial<PricedEvent> = {}): PricedEvent {
  return {
    agent: 'claude-code',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: 's1',
    project: '/p',
    occurredAt: 1_000,
    dedupKey: key,
    inputTokens: 10,
    outputTokens: output,
    reasoningTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 100,
    costNanos: 0,
    priceVersionId: 1,
    unpriced: false,
    ...extra,
  };
}

const batch = (origin: string, events: PricedEvent[]): CommitBatch => ({ origin, events, rateLimits: [], drops: [] });

describe('settleCopies', () => {
  it('keeps the final streamed copy of each key, in the batch it came from, and counts the others', () => {
    const a = batch('a', [event('k1', 3), event('k2', 50), event('k1', 120)]);
    const b = batch('b', [event('k2', 7), event('k3', 1)]);
    expect(settleCopies([a, b])).toBe(2);
    expect(a.events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['k2', 50],
      ['k1', 120],
    ]);
    expect(b.events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([['k3', 1]]);
  });

  it('keeps the same copy whatever order the copies come in', () => {
    const copies = [event('k', 9, { sidechain: true }), event('k', 9), event('k', 9, { occurredAt: 900 }), event('k', 9, { sessionId: 's0' })];
    const kept = new Set<PricedEvent>();
    for (let shift = 0; shift < copies.length; shift++) {
      const order = [...copies.slice(shift), ...copies.slice(0, shift)];
      const only = batch('x', order);
      settleCopies([only]);
      expect(only.events).toHaveLength(1);
      kept.add(only.events[0] as PricedEvent);
    }
    expect([...kept]).toEqual([copies[2]]);
    for (const other of copies) if (other !== copies[2]) expect(outranks(copies[2] as PricedEvent, other)).toBe(true);
  });

  it('changes nothing when no key repeats', () => {
    const a = batch('a', [event('k1', 1), event('k2', 2)]);
    expect(settleCopies([a])).toBe(0);
    expect(a.events).toHaveLength(2);
  });
});

describe('outranking', () => {
  const stored = (output: number, extra: Partial<Ranked> = {}): Ranked => ({ ...event('-', output), ...extra });

  it('replaces a stored copy only with one that outranks it, and counts the rest as duplicates', () => {
    const held = new Map([
      ['k1', stored(50)],
      ['k2', stored(50)],
      ['k3', stored(50, { sidechain: true })],
    ]);
    const incoming = [event('k1', 120), event('k2', 50), event('k2', 7), event('k3', 50), event('new', 1)];
    const { replace, duplicates } = outranking(incoming, held, (e) => e);
    expect(replace.map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['k1', 120],
      ['k3', 50],
    ]);
    expect(duplicates).toBe(2);
  });

  it('ranks a stored copy exactly as it ranks copies in one commit', () => {
    const copies = [event('k', 9, { sidechain: true }), event('k', 9), event('k', 9, { occurredAt: 900 }), event('k', 9, { sessionId: 's0' }), event('k', 10)];
    for (const a of copies) {
      for (const b of copies) {
        if (a === b) continue;
        const { replace } = outranking([a], new Map([['k', stored(b.outputTokens, b)]]), (e) => e);
        expect(replace.length === 1).toBe(outranks(a, b));
      }
    }
  });
});

describe('outranks', () => {
  it('ranks a copy the gateway recorded above any other copy of its key, whatever their tokens', () => {
    const gateway = event('k', 1, { agent: 'gateway', sessionId: 'alice', cacheReadTokens: 0, occurredAt: 2_000 });
    const logged = event('k', 500, { sessionId: 's0' });
    expect(outranks(gateway, logged)).toBe(true);
    expect(outranks(logged, gateway)).toBe(false);
    // Between two gateway copies (or two others) the usual ranking decides.
    expect(outranks(event('k', 2, { agent: 'gateway' }), gateway)).toBe(true);
    expect(settleCopies([batch('log', [logged]), batch('gateway:test', [gateway])])).toBe(1);
  });
});
