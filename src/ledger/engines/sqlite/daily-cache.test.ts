import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import type { DayRow, Ledger } from '../../ledger.js';
import { sqliteLedger } from './index.js';
import { openDatabase, type Db } from './open.js';

const DAY_MS = 86_400_000;
const T = Date.UTC(2025, 9, 10, 21, 30); // late evening in UTC: the next day already in Asia
const zone = new ZoneClock('Asia/Tokyo');
const filter = { namespace: 'cost-tracking' };

let fixture: FixtureLedger;
let db: Db;
let ledger: Ledger;
beforeEach(async () => {
  fixture = new FixtureLedger();
  await fixture.record(
    [0, 1, 2, 30].map((d, i) => ({ occurredAt: T + d * DAY_MS, costNanos: 1_000 * (i + 1), inputTokens: 10 })),
    'first',
  );
  db = openDatabase(fixture.dbPath);
  ledger = sqliteLedger(db, fixture.dbPath);
});
afterEach(async () => {
  await ledger.close();
  fixture.remove();
});

const changes = (): number => db.prepare('SELECT total_changes()').pluck().get() as number;
const count = (table: string): number => (db.prepare(`SELECT count(*) FROM ${table} WHERE zone = ?`).pluck().get(zone.key) as number | undefined) ?? 0;
const sorted = (rows: DayRow[]): DayRow[] => [...rows].sort((a, b) => a.day - b.day || a.project.localeCompare(b.project));

describe('usage by local day', () => {
  it('is read without writing anything, whether the zone is summed yet or not, and is the same either way', async () => {
    const before = changes();
    const unprepared = await ledger.days(filter, zone);
    expect(changes()).toBe(before);
    expect(count('daily_zones')).toBe(0);
    expect(unprepared.map((r) => [r.day, r.costNanos])).toEqual([0, 1, 2, 30].map((d, i) => [zone.localDay(T + d * DAY_MS), 1_000 * (i + 1)]));

    await ledger.prepareDays(zone);
    expect(count('daily_zones')).toBe(1);
    const afterPrepare = changes();
    expect(sorted(await ledger.days(filter, zone))).toEqual(sorted(unprepared));
    expect(sorted(await ledger.days({ ...filter, sinceDay: zone.localDay(T) + 1, untilDay: zone.localDay(T) + 2 }, zone)).map((r) => r.costNanos)).toEqual([2_000, 3_000]);
    expect(changes()).toBe(afterPrepare);
  });

  it('re-sums the days writers marked stale in prepareDays; until then reads sum them from the quarter hours', async () => {
    await ledger.prepareDays(zone);
    await fixture.record(
      [
        { occurredAt: T + DAY_MS, costNanos: 500, inputTokens: 5 },
        { occurredAt: T + 10 * DAY_MS, costNanos: 700, inputTokens: 5 },
      ],
      'second',
    );
    expect(count('daily_stale')).toBeGreaterThan(0);

    const before = changes();
    const stale = await ledger.days(filter, zone);
    expect(changes()).toBe(before);
    expect(count('daily_stale')).toBeGreaterThan(0);
    expect(stale.reduce((sum, r) => sum + r.costNanos, 0)).toBe(10_000 + 1_200);
    expect(stale.find((r) => r.day === zone.localDay(T + DAY_MS))?.costNanos).toBe(2_500);

    await ledger.prepareDays(zone);
    expect(count('daily_stale')).toBe(0);
    expect(sorted(await ledger.days(filter, zone))).toEqual(sorted(stale));
  });

  it('leaves the sums as they are, without waiting, while another writer holds the ledger', async () => {
    const other = openDatabase(fixture.dbPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      await ledger.prepareDays(zone);
      expect(count('daily_zones')).toBe(0);
      expect((await ledger.days(filter, zone)).length).toBe(4);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await ledger.prepareDays(zone);
    expect(count('daily_zones')).toBe(1);
  });
});
