import { describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { planWrites, type StoredCopy } from './plan.js';

const T = Date.UTC(2025, 9, 10);
const event = (key: string, extra: Partial<PricedEvent> = {}): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'm',
  sessionId: 's',
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  outputTokens: 5,
  costNanos: 1,
  priceVersionId: 1,
  unpriced: false,
  ...extra,
});
const stored = (id: number, key: string, extra: Partial<StoredCopy> = {}): StoredCopy => ({
  id,
  dedupKey: key,
  replayKey: null,
  sidechain: false,
  occurredAt: T,
  sessionKey: 's',
  agent: 'claude-code',
  inputTokens: 0,
  outputTokens: 5,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  cacheReadTokens: 0,
  ...extra,
});
const plan = (events: PricedEvent[], copies: StoredCopy[]) => {
  const p = planWrites(events, (e) => e, copies);
  return { deletes: p.deletes, updates: p.updates.map((u) => [u.id, u.entry.dedupKey]), inserts: p.inserts.map((e) => e.dedupKey), replaced: p.replaced, duplicates: p.duplicates };
};

/** The writer's decisions without a database (the SQLite writer makes the same ones statement by statement). */
describe('planWrites', () => {
  it('inserts new keys, replaces a stored copy only with one that outranks it', () => {
    expect(plan([event('new'), event('a', { outputTokens: 9 }), event('b', { outputTokens: 5 })], [stored(1, 'a'), stored(2, 'b')])).toEqual({
      deletes: [],
      updates: [[1, 'a']],
      inserts: ['new'],
      replaced: 1,
      duplicates: 1,
    });
  });

  it('a main-conversation event removes the stored sidechain replays of its message', () => {
    const copies = [stored(1, 'msg:x', { replayKey: 'msg', sidechain: true }), stored(2, 'other:y', { replayKey: 'other', sidechain: true })];
    expect(plan([event('msg:main', { replayKey: 'msg' })], copies)).toMatchObject({ deletes: [1], inserts: ['msg:main'] });
  });

  it('a sidechain copy of a message stored under another key is a replay, unless it is the earliest sidechain copy', () => {
    const main = [stored(1, 'msg:a', { replayKey: 'msg' })];
    expect(plan([event('msg:b', { replayKey: 'msg', sidechain: true })], main)).toMatchObject({ inserts: [], duplicates: 1 });
    const later = [stored(1, 'msg:a', { replayKey: 'msg', sidechain: true, occurredAt: T + 1 })];
    expect(plan([event('msg:b', { replayKey: 'msg', sidechain: true })], later)).toMatchObject({ deletes: [1], inserts: ['msg:b'] });
    const earlier = [stored(1, 'msg:a', { replayKey: 'msg', sidechain: true, occurredAt: T - 1 })];
    expect(plan([event('msg:b', { replayKey: 'msg', sidechain: true })], earlier)).toMatchObject({ deletes: [], inserts: [], duplicates: 1 });
    // Keys outside the message's range (not the replay key, alone or followed by ':') are not its copies.
    const outside = [stored(1, 'msgX', { replayKey: 'msg' })];
    expect(plan([event('msg:b', { replayKey: 'msg', sidechain: true })], outside)).toMatchObject({ inserts: ['msg:b'], duplicates: 0 });
  });

  it('sees what the same commit wrote before: a later sidechain copy of a message it inserted is a replay', () => {
    expect(plan([event('msg:a', { replayKey: 'msg' }), event('msg:b', { replayKey: 'msg', sidechain: true })], [])).toMatchObject({ inserts: ['msg:a'], duplicates: 1 });
  });
});
