import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ZoneClock } from '../../core/zone-clock.js';
import { costNanos } from '../../pricing/cost.js';
import { PriceOverrides } from '../../pricing/overrides.js';
import { PriceTable } from '../../pricing/price-table.js';
import { writeCorpus } from '../../sample/corpus.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import type { DayRow } from '../ledger.js';
import { eachEngineShared, type EngineCase } from './each-engine.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];

/** Agent logs, written once for every engine: sessions across the March and October DST switches of both hemispheres. */
let logs: FixtureLedger;
beforeAll(() => {
  logs = new FixtureLedger();
  writeCorpus(logs.dir, { seed: 5, endAt: Date.UTC(2025, 9, 30), days: 240, claudeBytes: 3_000_000, codexBytes: 800_000, geminiSessions: 6, claudeSessionBytes: 60_000, codexSessionBytes: 60_000 });
  writeCorpus(join(logs.dir, 'more'), { seed: 6, endAt: Date.UTC(2025, 9, 30), days: 30, claudeBytes: 400_000, codexBytes: 0, geminiSessions: 0, claudeSessionBytes: 60_000, codexSessionBytes: 1 });
});
afterAll(() => logs.remove());

/** Day rows computed straight from the events, one by one. */
async function direct(t: EngineCase, zone: ZoneClock): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const e of await t.inspector.events()) {
    const key = [zone.localDay(e.occurredAt), e.agent, e.project, e.model].join('|');
    const v = out.get(key) ?? [0, 0, 0, 0];
    out.set(key, [(v[0] as number) + 1, (v[1] as number) + e.inputTokens, (v[2] as number) + e.outputTokens, (v[3] as number) + e.costNanos]);
  }
  return out;
}

function asMap(rows: readonly DayRow[]): Map<string, number[]> {
  return new Map(rows.map((r) => [[r.day, r.agent, r.project, r.model].join('|'), [r.events, r.inputTokens, r.outputTokens, r.costNanos]]));
}

eachEngineShared('usage by local day', (t) => {
  const days = async (zone: ZoneClock): Promise<Map<string, number[]>> => asMap(await t.ledger.days({ namespace: 'cost-tracking' }, zone));
  beforeAll(() => t.sync(logs.env));

  it('equals the events summed one by one, in zones with DST and with 30- and 45-minute offsets', async () => {
    for (const name of ZONES) {
      const zone = new ZoneClock(name);
      expect(await days(zone), name).toEqual(await direct(t, zone));
    }
  });

  it('stays equal after more logs are read', async () => {
    const before = await t.inspector.eventCount();
    await t.sync({ ...logs.env, CLAUDE_CONFIG_DIR: `${logs.env.CLAUDE_CONFIG_DIR},${join(logs.dir, 'more', 'claude')}` });
    expect(await t.inspector.eventCount()).toBeGreaterThan(before);
    for (const name of ZONES.slice(0, 4)) {
      const zone = new ZoneClock(name);
      expect(await days(zone), name).toEqual(await direct(t, zone));
    }
  });

  it('stays equal after costs change (reprice), with the sums exact and every event on the new prices', async () => {
    const table = await PriceTable.load(new PriceOverrides({ 'claude-sonnet-4-5*': { input: 1, output: 1 } }));
    const versionId = await t.ledger.priceVersionId(table.version);
    const result = await t.ledger.reprice(versionId, (e) => {
      const price = table.price(e.model, e.provider, e.occurredAt);
      return { costNanos: price === undefined ? 0 : costNanos(price, e), unpriced: price === undefined };
    });
    expect(result.changed).toBeGreaterThan(0);
    await t.assertConsistent();
    expect(await t.ledger.hasStale(versionId)).toBe(false);
    const zone = new ZoneClock('Europe/Berlin');
    expect(await days(zone)).toEqual(await direct(t, zone));
  });
});
