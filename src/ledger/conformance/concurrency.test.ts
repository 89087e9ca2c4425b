import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommitResult } from '../ledger.js';
import { childScript, runAtOnce } from './child-script.js';
import { eachEngine } from './each-engine.js';
import { SHARED_BATCHES, SHARED_PATH, SHARED_PER_BATCH, SHARED_WRITERS } from './shared-batches.js';

/** A writer as a process of its own. */
let writer: Awaited<ReturnType<typeof childScript>>;
beforeAll(async () => {
  writer = await childScript('shared-writer');
});
afterAll(() => writer.remove());

eachEngine('writers at once', (t) => {
  it('count nothing twice: four processes committing one file batch by batch, and overlapping piped input, leave each event once and the sums exact', async () => {
    const writers = await runAtOnce(
      writer.path,
      Array.from({ length: SHARED_WRITERS }, (_, w) => [JSON.stringify(t.location), String(w)]),
    );
    const all = writers.flatMap((w) => w.lines.filter((l) => l.startsWith('result ')).map((l) => JSON.parse(l.slice('result '.length)) as CommitResult));
    const pipedKeys = (SHARED_WRITERS + 1) * (SHARED_PER_BATCH / 2);
    const unique = SHARED_BATCHES * SHARED_PER_BATCH + pipedKeys;
    expect(all.reduce((n, r) => n + r.inserted, 0)).toBe(unique);
    // Each file batch was applied by one writer and skipped by the others.
    expect(all.reduce((n, r) => n + r.skipped, 0)).toBe((SHARED_WRITERS - 1) * SHARED_BATCHES);
    expect(await t.inspector.eventCount()).toBe(unique);
    expect((await t.ledger.cursors([SHARED_PATH])).get(SHARED_PATH)?.offset).toBe(SHARED_BATCHES * SHARED_PER_BATCH);
    // A key piped by two writers keeps its larger copy, whichever committed first.
    const events = await t.inspector.events();
    const shared = events.filter((e) => e.dedupKey.startsWith('piped:')).map((e) => [e.dedupKey, e.outputTokens]);
    const expected = Array.from({ length: pipedKeys }, (_, k) => [`piped:${k}`, 10 + Math.min(SHARED_WRITERS - 1, Math.floor(k / (SHARED_PER_BATCH / 2)))]);
    expect(shared.sort()).toEqual(expected.sort());
    expect((await t.ledger.usage({ namespace: 'cost-tracking' }, []))[0]).toMatchObject({ events: unique, costNanos: events.reduce((sum, e) => sum + e.costNanos, 0) });
    await t.assertConsistent();
  });
});
