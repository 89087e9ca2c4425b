import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { ZoneClock } from '../core/zone-clock.js';
import { openLedger } from '../ledger/open-ledger.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { readLiveState } from './state.js';

const H = 3_600_000;
const USD = 1e9;
/** 01:30 in Berlin (UTC+2): Berlin's today started at 22:00 UTC the day before. */
const NOW = Date.UTC(2025, 9, 9, 23, 30);

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    { occurredAt: Date.UTC(2025, 9, 9, 21, 50), costNanos: 5 * USD, inputTokens: 1, sessionId: 'yesterday' },
    { occurredAt: Date.UTC(2025, 9, 9, 22, 10), costNanos: 1 * USD, inputTokens: 100, sessionId: 'a', project: '/p/small' },
    { occurredAt: Date.UTC(2025, 9, 9, 22, 20), costNanos: 2 * USD, inputTokens: 200, sessionId: 'a', project: '/p/big' },
    { occurredAt: Date.UTC(2025, 9, 9, 23, 0), costNanos: 4 * USD, outputTokens: 50, sessionId: 'b', agent: 'codex-cli', model: 'gpt-5', provider: 'openai' },
  ]);
});
afterEach(() => ledger.remove());

describe('readLiveState', () => {
  it('sums today in the view\u2019s zone, finds the active block and ranks today\u2019s sessions', async () => {
    const reader = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
    try {
      const clock = new ZoneClock('Europe/Berlin');
      const s = await readLiveState(reader, { namespace: 'cost-tracking', now: NOW, sessionLengthMs: 5 * H, guard: { clock, startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => 0 } });
      expect([s.todayStart, s.today.costNanos, s.today.events]).toEqual([Date.UTC(2025, 9, 9, 22), 7 * USD, 3]);
      // Anthropic's block began with yesterday's (local) request at 21:50 UTC; OpenAI's with Codex's at 23:00.
      expect(s.active.map((a) => [a.provider, a.block.start, a.block.totals.costNanos])).toEqual([
        ['anthropic', Date.UTC(2025, 9, 9, 21), 8 * USD],
        ['openai', Date.UTC(2025, 9, 9, 23), 4 * USD],
      ]);
      expect(s.sessions.map((x) => [x.sessionId, x.costNanos, x.project, x.tokens])).toEqual([
        ['b', 4 * USD, '/home/dev/app', 50],
        ['a', 3 * USD, '/p/big', 300],
      ]);
      expect([s.budgets, s.limits, s.notes]).toEqual([[], [], []]);
    } finally {
      await reader.close();
    }
  });
});
