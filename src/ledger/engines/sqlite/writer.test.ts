import { describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { fixtureEachTest } from '../../../testing/fixture-ledger.js';
import { outranks } from '../../commit-plan.js';

const T = Date.UTC(2025, 9, 10, 12);
const t = fixtureEachTest();

const copy = (outputTokens: number, extra: Partial<PricedEvent> = {}): PricedEvent => ({
  ...emptyTokens(),
  agent: 'ingest',
  provider: 'openai',
  model: 'gpt-4o',
  sessionId: 's1',
  project: '/p',
  occurredAt: T,
  dedupKey: 'k',
  inputTokens: 10,
  outputTokens,
  costNanos: 1000 + outputTokens,
  priceVersionId: 1,
  unpriced: false,
  ...extra,
});

describe('copies of a key committed one by one', () => {
  it('keep the copy the ranking puts first, whatever order the commits come in, with sums to match', async () => {
    await t.ledger.priceVersionId('fixture prices');
    // Ties on tokens are broken by time, then main over sidechain, then session id.
    const copies = [copy(9, { sidechain: true }), copy(9, { sessionId: 's0' }), copy(9, { occurredAt: T - 60_000 }), copy(9), copy(5)];
    const best = copies[2] as PricedEvent;
    for (const other of copies) if (other !== best) expect(outranks(best, other)).toBe(true);
    for (let shift = 0; shift < copies.length; shift++) {
      const key = `k${shift}`;
      const order = [...copies.slice(shift), ...copies.slice(0, shift)].map((c) => ({ ...c, dedupKey: key }));
      let replaced = 0;
      let duplicates = 0;
      for (const event of order) {
        const result = await t.ledger.commit([{ origin: 'ingest:test', events: [event], rateLimits: [], drops: [] }]);
        replaced += result.replaced;
        duplicates += result.duplicates;
      }
      expect(replaced + duplicates).toBe(copies.length - 1);
      const stored = (await t.fixture.events()).find((e) => e.dedupKey === key);
      expect(stored).toMatchObject({ occurredAt: best.occurredAt, sessionId: 's1', sidechain: false, outputTokens: 9 });
    }
    await t.fixture.assertSumsExact();
  });
});
