import { expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import type { ChangePage, Ledger, OriginBatch } from '../ledger.js';
import { eachEngine } from './each-engine.js';

const T = Date.UTC(2025, 9, 10, 12);

async function batch(ledger: Ledger, events: [string, number][], extra: Partial<PricedEvent> = {}): Promise<OriginBatch> {
  const priceVersionId = await ledger.priceVersionId('fixture prices');
  return {
    origin: 'ingest:test',
    events: events.map(([dedupKey, outputTokens], i) => ({
      ...emptyTokens(),
      agent: 'ingest',
      provider: 'openai',
      model: 'gpt-4o',
      sessionId: 's1',
      project: '/p',
      namespace: 'cost-tracking',
      occurredAt: T + i,
      dedupKey,
      inputTokens: 10,
      outputTokens,
      costNanos: 100 + outputTokens,
      priceVersionId,
      unpriced: false,
      ...extra,
    })),
    rateLimits: [],
    drops: [],
  };
}

/** Every page from `after` on, as push reads them. */
async function allChanges(ledger: Ledger, after: number, limit: number): Promise<ChangePage> {
  const all: ChangePage = { events: [], drops: [], next: after };
  for (;;) {
    const page = await ledger.changes(all.next, limit);
    if (page.next === all.next) return all;
    expect(page.next).toBeGreaterThan(all.next);
    all.events.push(...page.events);
    all.drops.push(...page.drops);
    all.next = page.next;
  }
}

eachEngine('changes, as push and pull follow them', (t) => {
  it('has an id of its own, the same for every handle on it', async () => {
    const id = await t.ledger.ledgerId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const other = await t.open();
    expect(await other.ledgerId()).toBe(id);
  });

  it('tells the position of the latest change cheaply: where the pages end', async () => {
    expect(await t.ledger.changePosition()).toBe(0);
    const first = await batch(t.ledger, [
      ['a', 1],
      ['b', 2],
    ]);
    await t.ledger.commit([{ ...first, drops: [{ path: 'stdin', line: 3, reason: 'bad' }] }]);
    const position = await t.ledger.changePosition();
    expect(position).toBe((await allChanges(t.ledger, 0, 10)).next);
    // A longer copy replaces an event in place: the position moves on.
    await t.ledger.commit([await batch(t.ledger, [['b', 5]])]);
    expect(await t.ledger.changePosition()).toBeGreaterThan(position);
    expect(await t.ledger.changePosition()).toBe((await allChanges(t.ledger, 0, 10)).next);
  });

  it('gives what was recorded after a position, with who recorded it and its price version, page by page', async () => {
    const first = await batch(t.ledger, [
      ['a', 1],
      ['b', 2],
    ]);
    await t.ledger.commit([{ ...first, drops: [{ path: 'stdin', line: 3, reason: 'bad' }] }]);
    const page = await t.ledger.changes(0, 100);
    expect(page.events.map((e) => [e.dedupKey, e.namespace, e.recordedBy, e.priceVersion, e.outputTokens, e.costNanos])).toEqual([
      ['a', 'cost-tracking', { user: 'local', machine: 'local' }, 'fixture prices', 1, 101],
      ['b', 'cost-tracking', { user: 'local', machine: 'local' }, 'fixture prices', 2, 102],
    ]);
    expect(page.drops).toEqual([{ path: 'ingest:test', line: 3, reason: 'bad', machine: 'local' }]);
    expect(page.next).toBeGreaterThan(0);
    // Nothing more: the same position back.
    expect(await t.ledger.changes(page.next, 100)).toEqual({ events: [], drops: [], next: page.next });
    // Pages of one event end where the whole list does.
    const paged = await allChanges(t.ledger, 0, 1);
    expect(paged.events.map((e) => e.dedupKey)).toEqual(['a', 'b']);
    expect(paged.next).toBe(page.next);
  });

  it('gives an event replaced by a larger copy again, at a new position', async () => {
    await t.ledger.commit([
      await batch(t.ledger, [
        ['a', 1],
        ['b', 2],
      ]),
    ]);
    const { next } = await t.ledger.changes(0, 100);
    await t.ledger.commit([await batch(t.ledger, [['b', 20]])]);
    await t.ledger.commit([await batch(t.ledger, [['c', 5]])]);
    expect((await allChanges(t.ledger, next, 1)).events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['b', 20],
      ['c', 5],
    ]);
    // From the start, each event once, as it is now.
    expect((await allChanges(t.ledger, 0, 2)).events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['a', 1],
      ['b', 20],
      ['c', 5],
    ]);
  });

  it('keeps the recorder a pushed event names, not the handle that wrote it', async () => {
    await t.ledger.commit([await batch(t.ledger, [['c', 5]], { recordedBy: { user: 'cy@lab', machine: 'machine-c' }, sessionId: 's-cy' })]);
    expect((await t.ledger.changes(0, 10)).events.map((e) => [e.dedupKey, e.recordedBy])).toEqual([['c', { user: 'cy@lab', machine: 'machine-c' }]]);
  });
});
