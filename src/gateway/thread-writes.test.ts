import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { ZoneClock } from '../core/zone-clock.js';
import type { Admission } from '../ledger/gateway-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { gatewayWriterScript } from '../testing/gateway-writer-bundle.js';
import { allowanceChecks } from './admission.js';
import { threadWrites } from './thread-writes.js';

const NS = 'cost-tracking';
const T = Date.UTC(2026, 2, 10, 12);
const RECORDER = { user: 'test@host', machine: 'machine-1' };
const LADDER = { timeZone: 'UTC', startOfWeek: 'monday' as const, thresholds: DEFAULT_THRESHOLDS };
const PERIODS = { clock: new ZoneClock('UTC'), startOfWeek: 'monday' as const };

describe('the writer thread', () => {
  let dir: string;
  let ledger: Ledger;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenledger-tw-'));
    ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') }, { recorder: RECORDER });
    await ledger.createKey({ namespace: NS, name: 'alice', secretHash: 'h', secretPrefix: 'tlk_x', createdAt: T - 1000 });
  });
  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides admissions and releases made in one turn in order, exactly as one by one; a failing one fails alone', async () => {
    const budget = await ledger.setBudget({ namespace: NS, scope: 'key:alice', period: 'all', amountNanos: 10_000, setAt: T - 1000 });
    const { checks } = allowanceChecks([budget], T, PERIODS);
    const writes = await threadWrites({ location: { engine: 'sqlite', path: join(dir, 'ledger.db') }, recorder: RECORDER, ladder: LADDER }, await gatewayWriterScript());
    try {
      const admission = (id: string, amountNanos: number): Admission => ({ id, namespace: NS, key: 'alice', amountNanos, checks, at: T, expiresAt: T + 60_000 });
      // All in one turn: 4,000 + 4,000 fit, 4,000 more does not; `a` again is a reservation that
      // exists already; releasing `a` then makes room for the last one.
      const results = await Promise.allSettled([
        writes.admit(admission('a', 4_000)),
        writes.admit(admission('b', 4_000)),
        writes.admit(admission('c', 4_000)),
        writes.admit(admission('a', 1_000)),
        writes.admit(admission('d', 2_000)),
        writes.releaseReservations(['a']),
        writes.admit(admission('e', 6_000)),
      ]);
      expect(results.map((r) => (r.status === 'rejected' ? 'error' : r.value === undefined ? 'released' : r.value.admitted))).toEqual([true, true, false, 'error', true, 'released', false]);
      // 4,000 (b) + 2,000 (d) held: 4,000 is left.
      expect([...(await ledger.reservedNanos(NS)).values()]).toEqual([6_000]);
      expect(await writes.admit(admission('f', 4_000))).toEqual({ admitted: true });
      expect((await writes.admit(admission('g', 1))).admitted).toBe(false);
    } finally {
      await writes.close();
    }
  });
});
