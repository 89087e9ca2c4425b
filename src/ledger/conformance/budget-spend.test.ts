import { expect, it } from 'vitest';
import { MAX_COST_NANOS_PER_EVENT } from '../../core/event-bounds.js';
import { eachEngine } from './each-engine.js';

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);

eachEngine('budget spend', (t) => {
  it('past 2^63 nano-USD (1,845 events at the per-event maximum) reads as more than any budget instead of failing', async () => {
    // One event a day, so no stored sum holds two of them: only the spend's own sum passes 2^63.
    const events = Array.from({ length: 1_845 }, (_, i) => ({ occurredAt: START + i * DAY, costNanos: MAX_COST_NANOS_PER_EVENT, sessionId: `s${i}` }));
    await t.record(events);
    const spend = await t.ledger.spend({ namespace: 'cost-tracking', scope: { kind: 'global' } });
    expect(spend.costNanos).toBeGreaterThanOrEqual(2 ** 63);
    expect(spend.costNanos).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(spend.sessions).toBe(1_845);
  });
});
