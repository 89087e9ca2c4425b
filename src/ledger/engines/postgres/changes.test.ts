import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { postgresTestLocation } from './test-schema.js';

const event = (key: string, namespace: string, outputTokens = 5): PricedEvent => ({
  ...emptyTokens(),
  agent: 'ingest',
  provider: 'openai',
  model: 'gpt-4o',
  sessionId: namespace,
  project: '/p',
  occurredAt: Date.UTC(2025, 9, 10),
  dedupKey: key,
  outputTokens,
  costNanos: outputTokens,
  priceVersionId: 1,
  unpriced: false,
  namespace,
});

let drop: () => Promise<void>;
let ledgers: Ledger[];
beforeEach(async () => {
  const test = await postgresTestLocation();
  drop = test.drop;
  ledgers = [await openLedger(test.location), await openLedger(test.location), await openLedger(test.location)];
});
afterEach(async () => {
  for (const l of ledgers) await l.close();
  await drop();
});

/**
 * PostgreSQL-specific: commits to different namespaces run at once, yet change positions are
 * taken one commit at a time, so a reader paging while they write never steps past a change it
 * has not seen.
 */
describe('changes() beside concurrent writers', () => {
  it('hands every insert and replacement to a reader paging meanwhile, in position order', async () => {
    const [a, b, reader] = ledgers as [Ledger, Ledger, Ledger];
    await a.priceVersionId('p');
    await a.commit([{ origin: 'warm', events: [event('warm-a', 'one'), event('warm-b', 'two')], rateLimits: [], drops: [] }]);
    let writing = true;
    const writers = Promise.all(
      [a, b].map(async (ledger, w) => {
        const namespace = w === 0 ? 'one' : 'two';
        for (let c = 0; c < 15; c++) {
          const events = Array.from({ length: 40 }, (_, i) => event(`${namespace}-${c}-${i}`, namespace));
          // Every third commit also replaces an earlier event with a larger copy: it must come again.
          if (c % 3 === 2) events.push(event(`${namespace}-0-0`, namespace, 100 + c));
          await ledger.commit([{ origin: `o-${namespace}`, events, rateLimits: [], drops: [{ path: 'x', line: c, reason: 'r' }] }]);
        }
      }),
    ).finally(() => {
      writing = false;
    });
    const seen = new Map<string, number>();
    let drops = 0;
    let after = 0;
    for (;;) {
      const done = !writing;
      const page = await reader.changes(after, 37);
      expect(page.next).toBeGreaterThanOrEqual(after);
      for (const e of page.events) seen.set(e.dedupKey, e.outputTokens);
      drops += page.drops.length;
      if (page.next === after && done) break;
      after = page.next;
    }
    await writers;
    expect(seen.size).toBe(2 + 2 * 15 * 40);
    expect(seen.get('one-0-0')).toBe(114);
    expect(seen.get('two-0-0')).toBe(114);
    expect(drops).toBe(30);
  });
});
