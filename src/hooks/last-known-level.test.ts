import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { budgetGuard, type GuardOptions } from '../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { NANOS_PER_USD } from '../core/money.js';
import { ZoneClock } from '../core/zone-clock.js';
import { openLedger } from '../ledger/open-ledger.js';
import type { Ledger } from '../ledger/ledger.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { nearLimitWhenLastSeen } from './last-known-level.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const NEXT_MONTH = Date.UTC(2025, 10, 3, 12);
const NS = 'cost-tracking';
const options = (now: number): GuardOptions => ({ clock: new ZoneClock('UTC'), startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => now });
const subject = { agent: 'claude-code', sessionId: 'session-1', user: 'local', folders: ['/home/dev/app'] };

let fixture: FixtureLedger;
let ledger: Ledger;
beforeEach(async () => {
  fixture = new FixtureLedger();
  ledger = await openLedger({ engine: 'sqlite', path: fixture.dbPath });
});
afterEach(async () => {
  await ledger.close();
  fixture.remove();
});

const budget = (scope: string, usd: number) => ledger.setBudget({ namespace: NS, scope, period: 'month', amountNanos: usd * NANOS_PER_USD, setAt: NOW });
const levels = async (now: number) => (await nearLimitWhenLastSeen(ledger, NS, subject, options(now))).map((c) => [c.budget.scope, c.level]);

describe('nearLimitWhenLastSeen', () => {
  it('names the budgets in scope whose highest level this period is CRITICAL or HARD_STOP, highest first', async () => {
    await budget('global', 10);
    await budget('session:session-1', 20);
    await budget('agent:claude-code', 100);
    await budget('session:other', 1);
    // $9.50 of the month: CRITICAL for $10, WARNING for $20, OK for $100 (and the other session's budget speaks of no one here).
    await fixture.record([{ occurredAt: NOW - 3_600_000, costNanos: 9.5 * NANOS_PER_USD }], 'a', [budgetGuard(options(NOW))]);
    expect(await levels(NOW)).toEqual([['global', 'CRITICAL']]);

    // $18.50: HARD_STOP for $10, CRITICAL (92.5%) for $20.
    await fixture.record([{ occurredAt: NOW - 3_600_000, costNanos: 9 * NANOS_PER_USD }], 'b', [budgetGuard(options(NOW))]);
    expect(await levels(NOW)).toEqual([
      ['global', 'HARD_STOP'],
      ['session:session-1', 'CRITICAL'],
    ]);
  });

  it('forgets levels of a period that has ended', async () => {
    await budget('global', 10);
    await fixture.record([{ occurredAt: NOW - 3_600_000, costNanos: 12 * NANOS_PER_USD }], 'a', [budgetGuard(options(NOW))]);
    expect(await levels(NOW)).toEqual([['global', 'HARD_STOP']]);
    expect(await levels(NEXT_MONTH)).toEqual([]);
  });
});
