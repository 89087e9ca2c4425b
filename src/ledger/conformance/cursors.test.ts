import { expect } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import type { FileBatch, FileCursor } from '../ledger.js';
import { eachEngine, itUnless } from './each-engine.js';

const T = Date.UTC(2025, 9, 10, 12);
const PATH = '/home/dev/.claude/projects/app/s.jsonl';

const cursorAt = (offset: number): FileCursor => ({ path: PATH, agent: 'claude-code', dev: 1, ino: 1, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: String(offset), state: null });
const event = (key: string, costNanos: number): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: `session-${key}`,
  project: '/home/dev/app',
  namespace: 'cost-tracking',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  costNanos,
  priceVersionId: 1,
  unpriced: false,
});
const batch = (from: number | undefined, to: number, events: PricedEvent[]): FileBatch => ({
  from: from === undefined ? undefined : cursorAt(from),
  to: cursorAt(to),
  events,
  rateLimits: [],
  drops: [],
});

eachEngine('file cursors per machine', (t) => {
  itUnless(t, { sqlite: 'needs per-machine cursors (users branch)' }, 'keep two machines with the same file path apart: separate cursors, nothing counted twice or lost', async () => {
    const a = await t.open({ user: 'ada@lab', machine: 'machine-a' });
    const b = await t.open({ user: 'bob@lab', machine: 'machine-b' });
    expect(await a.priceVersionId('fixture prices')).toBe(1);
    // The same path and file identity on two machines, with other contents.
    expect(await a.commit([batch(undefined, 100, [event('a1', 5), event('a2', 5)])])).toMatchObject({ inserted: 2, skipped: 0 });
    expect(await b.commit([batch(undefined, 40, [event('b1', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(PATH)?.offset).toBe(100);
    expect((await b.cursors([PATH])).get(PATH)?.offset).toBe(40);
    // Each goes on from its own cursor: b's batch is not "already covered" by a's cursor further on.
    expect(await b.commit([batch(40, 80, [event('b2', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect(await a.commit([batch(100, 120, [event('a3', 5)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(PATH)?.offset).toBe(120);
    expect((await b.cursors()).get(PATH)?.offset).toBe(80);
    // A handle of the local machine has no cursor of that path at all.
    expect(await t.ledger.cursors()).toEqual(new Map());
    expect((await t.ledger.usage({ namespace: 'cost-tracking' }, []))[0]).toMatchObject({ events: 5, costNanos: 29 });
    await t.assertConsistent();
  });
});
