import { expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import type { CommitResult, FileBatch, FileCursor, OriginBatch } from '../ledger.js';
import { eachEngine } from './each-engine.js';

const WRITERS = 4;
const BATCHES = 6;
const PER_BATCH = 40;
const PATH = '/logs/shared.jsonl';
const AT = Date.UTC(2025, 9, 10, 12);

const cursorAt = (offset: number): FileCursor => ({ path: PATH, agent: 'claude-code', dev: 1, ino: 1, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: String(offset), state: null });
const event = (key: string, i: number, outputTokens: number, priceVersionId: number): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: `session-${i % 5}`,
  project: '/home/dev/app',
  namespace: 'cost-tracking',
  occurredAt: AT + i * 30_000,
  dedupKey: key,
  inputTokens: 100,
  outputTokens,
  costNanos: 1_000 + outputTokens,
  priceVersionId,
  unpriced: false,
});

eachEngine('writers at once', (t) => {
  it('count nothing twice: four handles committing one file batch by batch, and overlapping piped input, leave each event once and the sums exact', async () => {
    const writers = await Promise.all(Array.from({ length: WRITERS }, () => t.open()));
    const priceVersionId = await t.ledger.priceVersionId('fixture prices');
    // Every writer read the same file (as several syncs of one home would) and commits it batch by batch.
    const fileBatch = (b: number): FileBatch => ({
      from: b === 0 ? undefined : cursorAt(b * PER_BATCH),
      to: cursorAt((b + 1) * PER_BATCH),
      events: Array.from({ length: PER_BATCH }, (_, i) => event(`file:${b * PER_BATCH + i}`, b * PER_BATCH + i, 10, priceVersionId)),
      rateLimits: [],
      drops: [],
    });
    // Piped input overlapping between writers: keys shared two by two, a streamed copy larger than another.
    const piped = (w: number): OriginBatch => ({
      origin: 'ingest:stdin',
      events: Array.from({ length: PER_BATCH }, (_, i) => w * (PER_BATCH / 2) + i).map((k) => event(`piped:${k}`, 1_000 + k, 10 + w, priceVersionId)),
      rateLimits: [],
      drops: [],
    });
    const results: CommitResult[][] = await Promise.all(
      writers.map(async (ledger, w) => {
        const mine: CommitResult[] = [];
        for (let b = 0; b < BATCHES; b++) {
          mine.push(await ledger.commit([fileBatch(b)]));
          if (b === w) mine.push(await ledger.commit([piped(w)]));
        }
        return mine;
      }),
    );
    const all = results.flat();
    const pipedKeys = (WRITERS + 1) * (PER_BATCH / 2);
    const unique = BATCHES * PER_BATCH + pipedKeys;
    expect(all.reduce((n, r) => n + r.inserted, 0)).toBe(unique);
    // Each file batch was applied by one writer and skipped by the others.
    expect(all.reduce((n, r) => n + r.skipped, 0)).toBe((WRITERS - 1) * BATCHES);
    expect(await t.inspector.eventCount()).toBe(unique);
    expect((await t.ledger.cursors([PATH])).get(PATH)?.offset).toBe(BATCHES * PER_BATCH);
    // A key piped by two writers keeps its larger copy, whichever committed first.
    const events = await t.inspector.events();
    const shared = events.filter((e) => e.dedupKey.startsWith('piped:')).map((e) => [e.dedupKey, e.outputTokens]);
    const expected = Array.from({ length: pipedKeys }, (_, k) => [`piped:${k}`, 10 + Math.min(WRITERS - 1, Math.floor(k / (PER_BATCH / 2)))]);
    expect(shared.sort()).toEqual(expected.sort());
    expect((await t.ledger.usage({ namespace: 'cost-tracking' }, []))[0]).toMatchObject({ events: unique, costNanos: events.reduce((sum, e) => sum + e.costNanos, 0) });
    await t.assertConsistent();
  });
});
