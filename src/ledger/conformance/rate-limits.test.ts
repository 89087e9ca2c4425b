import { expect, it } from 'vitest';
import type { RateLimitSnapshot } from '../../core/usage-event.js';
import { eachEngine } from './each-engine.js';

const T = Date.UTC(2025, 9, 10, 12);

const reading = (at: number, used: number, limitId?: string): RateLimitSnapshot => ({
  agent: 'codex-cli',
  sessionId: `s-${at}`,
  occurredAt: at,
  windows: [
    { name: 'primary', usedPercent: used, windowMinutes: 300, resetsAt: at + 3_600_000 },
    { name: 'secondary', usedPercent: used / 10, windowMinutes: 10_080 },
  ],
  planType: 'plus',
  ...(limitId === undefined ? {} : { limitId }),
});

eachEngine('latest rate limits', (t) => {
  it('gives the newest reading of each agent and allowance since a time', async () => {
    await t.ledger.commit([{ origin: 'test:limits', events: [], rateLimits: [reading(T - 5000, 10), reading(T - 1000, 42), reading(T - 3000, 7, 'codex_other')], drops: [] }]);
    expect(await t.ledger.latestRateLimits(T - 10_000)).toEqual([reading(T - 1000, 42), reading(T - 3000, 7, 'codex_other')]);
    expect(await t.ledger.latestRateLimits(T - 2000)).toEqual([reading(T - 1000, 42)]);
    expect(await t.ledger.latestRateLimits(T)).toEqual([]);
  });
});
