import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../../sample/corpus.js';
import { SOURCES } from '../../../sources/index.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { openLedger } from '../../open-ledger.js';
import { promptBand, type UsageDimension, type UsageRow } from '../../ledger.js';

let ledger: FixtureLedger;
beforeAll(async () => {
  ledger = new FixtureLedger();
  writeCorpus(ledger.dir, { seed: 11, endAt: Date.UTC(2025, 9, 30), days: 20, claudeBytes: 1_500_000, codexBytes: 400_000, geminiSessions: 4, claudeSessionBytes: 60_000, codexSessionBytes: 60_000 });
  await ledger.sync(SOURCES);
});
afterAll(() => ledger.remove());

const Q = 900_000;
const KEYS: Record<UsageDimension, (e: Record<string, any>) => string> = {
  session: (e) => `${e.agent}|${e.sessionId}`,
  project: (e) => e.project,
  model: (e) => e.model,
  promptBand: (e) => String(promptBand(e.inputTokens + e.cacheWrite5mTokens + e.cacheWrite1hTokens + e.cacheReadTokens)),
  bucket: (e) => String(Math.floor(e.occurredAt / Q) * Q),
  // The fixture ledger records as LOCAL_RECORDER.
  user: () => 'local',
};
const rowKey = (r: UsageRow, by: UsageDimension[]): string =>
  by
    .map((d) =>
      d === 'session' ? `${r.agent}|${r.sessionId}` : d === 'project' ? r.project : d === 'model' ? r.model : d === 'promptBand' ? String(r.promptAbove) : d === 'user' ? String(r.user) : String(r.bucketStart),
    )
    .join(' ');

/** The same sums, one event at a time: times rounded out to whole quarter hours. */
function direct(since: number | undefined, until: number | undefined, by: UsageDimension[]): Map<string, [number, number, number]> {
  const lo = since === undefined ? -Infinity : Math.floor(since / Q) * Q;
  const hi = until === undefined ? Infinity : Math.ceil(until / Q) * Q;
  const map = new Map<string, [number, number, number]>();
  for (const e of ledger.events()) {
    if (e.occurredAt < lo || e.occurredAt >= hi) continue;
    const key = by.map((d) => KEYS[d](e)).join(' ');
    const v = map.get(key) ?? [0, 0, 0];
    map.set(key, [v[0] + 1, v[1] + e.cacheReadTokens, v[2] + e.costNanos]);
  }
  return map;
}

describe('usage', () => {
  const day = 86_400_000;
  const windows: [string, number | undefined, number | undefined][] = [
    ['all time', undefined, undefined],
    ['since a time within a day', Date.UTC(2025, 9, 20, 13, 7), undefined],
    ['until a time within a day', undefined, Date.UTC(2025, 9, 18, 8, 50)],
    ['days with ragged ends', Date.UTC(2025, 9, 12, 22, 10), Date.UTC(2025, 9, 25, 3, 1)],
    ['whole days', Date.UTC(2025, 9, 14), Date.UTC(2025, 9, 21)],
    ['less than a day across midnight', Date.UTC(2025, 9, 22, 18), Date.UTC(2025, 9, 23, 9)],
    ['nothing', Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1) + day],
  ];
  const groupings: UsageDimension[][] = [[], ['session'], ['model', 'promptBand'], ['session', 'project', 'model'], ['bucket']];
  for (const [name, since, until] of windows) {
    it(`equals the events summed one by one: ${name}`, async () => {
      const l = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
      try {
        for (const by of groupings) {
          const rows = await l.usage({ namespace: 'cost-tracking', ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) }, by);
          const got = new Map(rows.map((r) => [rowKey(r, by), [r.events, r.cacheReadTokens, r.costNanos]]));
          expect(got, by.join('+') || 'totals').toEqual(direct(since, until, by));
        }
        // Budgets sum spend over the same time pieces.
        const spend = await l.spend({ namespace: 'cost-tracking', scope: { kind: 'global' }, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) });
        const sessions = direct(since, until, ['session']);
        expect(spend).toEqual({ costNanos: [...sessions.values()].reduce((sum, v) => sum + v[2], 0), sessions: sessions.size });
      } finally {
        await l.close();
      }
    });
  }

  it('reads nothing of other namespaces', async () => {
    const l = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
    try {
      expect(await l.usage({ namespace: 'elsewhere' }, [])).toEqual([]);
      expect(await l.usage({ namespace: 'elsewhere' }, ['session'])).toEqual([]);
    } finally {
      await l.close();
    }
  });
});
