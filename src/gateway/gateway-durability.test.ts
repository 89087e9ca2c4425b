import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresTestLocation } from '../ledger/engines/postgres/test-schema.js';
import type { LedgerLocation } from '../ledger/location.js';
import { openLedger } from '../ledger/open-ledger.js';
import { fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import { GatewayRig, RIG_NAMESPACE } from '../testing/gateway-rig.js';
import { TcpHop } from '../testing/tcp-hop.js';
import { directWrites } from './ledger-writes.js';
import { journalBatch, SpillJournal } from './spill-journal.js';

const UPSTREAM_KEY = 'sk-ant-upstream-credential';
const BODY = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] });
const LADDER = { timeZone: 'UTC', startOfWeek: 'monday' as const, thresholds: DEFAULT_THRESHOLDS };
const TUNING = { retryMs: 5, maxRetryMs: 20 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ hop: TcpHop; location: LedgerLocation; url: string; spillFolder: string }> {
  const pg = await postgresTestLocation();
  cleanups.push(() => pg.drop());
  const hop = new TcpHop();
  await hop.open();
  cleanups.push(() => hop.cut());
  const fake = await fakeAnthropic(UPSTREAM_KEY, { usage: { input: 10, output: 5 } });
  cleanups.push(() => fake.close());
  const spillFolder = mkdtempSync(join(tmpdir(), 'tokenledger-spill-'));
  cleanups.push(() => rmSync(spillFolder, { recursive: true, force: true }));
  return { hop, location: { ...pg.location, url: `postgres://postgres@127.0.0.1:${hop.port}/postgres` }, url: fake.url, spillFolder };
}

function send(rig: GatewayRig, key: string): Promise<Response> {
  return fetch(`${rig.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': rig.secret(key), 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: BODY,
  });
}

/** Resolves at the first log line containing `text`. */
function logged(lines: string[], text: string): Promise<void> {
  return new Promise((resolve) => {
    const push = lines.push.bind(lines);
    lines.push = (...items: string[]) => {
      const n = push(...items);
      if (items.some((l) => l.includes(text))) resolve();
      return n;
    };
    if (lines.some((l) => l.includes(text))) resolve();
  });
}

describe('gateway durability on a PostgreSQL ledger that goes away', () => {
  it('keeps settled usage while the ledger is away and commits it once when it is back; budgeted keys fail closed meanwhile', async () => {
    const { hop, location, url, spillFolder } = await setUp();
    const rig = await GatewayRig.start({
      config: { upstreams: { anthropic: { baseUrl: url, apiKey: UPSTREAM_KEY } } },
      location,
      keys: [{ name: 'free' }, { name: 'capped', budgetUsd: 100 }],
      gateway: { spillFolder, commitTuning: TUNING },
    });
    cleanups.push(() => rig.close());
    expect((await send(rig, 'free')).status).toBe(200);
    expect(await rig.events('free')).toHaveLength(1);

    await hop.cut();
    const failed = logged(rig.lines, 'could not commit metered usage');
    for (let i = 0; i < 3; i++) {
      const r = await send(rig, 'free');
      expect(r.status).toBe(200);
      await r.text();
    }
    const refused = await send(rig, 'capped');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.text()).toContain('cannot reach its ledger');
    await failed;
    expect(rig.gateway.pendingSettlements).toBe(3);
    expect(rig.gateway.metrics.text()).toContain('tokenledger_gateway_refusals_total{reason="ledger_unavailable"} 1');

    await hop.open();
    const events = await rig.events('free');
    expect(events).toHaveLength(4);
    const [meter] = await rig.ledger.keyMeters(RIG_NAMESPACE, ['free']);
    expect(meter?.promptCount).toBe(4);
    expect(rig.gateway.pendingSettlements).toBe(0);
    const metrics = rig.gateway.metrics.text();
    expect(metrics).toContain('tokenledger_gateway_pending_settlements 0');
    expect(metrics).toContain('tokenledger_gateway_settlements_spilled_total 0');
    expect(metrics).toMatch(/tokenledger_gateway_commit_failures_total [1-9]/);
    for (const line of rig.lines) expect(line).not.toContain(rig.secret('free'));
    expect((await send(rig, 'capped')).status).toBe(200);
  });

  it('stopped while the ledger is away, spills to a journal; the next start commits it exactly once, also after a replay that crashed', async () => {
    const { hop, location, url, spillFolder } = await setUp();
    const config = { upstreams: { anthropic: { baseUrl: url, apiKey: UPSTREAM_KEY } } };
    const first = await GatewayRig.start({ config, location, keys: [{ name: 'free' }], gateway: { spillFolder, drainMs: 200, commitTuning: TUNING } });
    await hop.cut();
    for (let i = 0; i < 2; i++) {
      const r = await send(first, 'free');
      expect(r.status).toBe(200);
      await r.text();
    }
    const report = await first.gateway.stop();
    expect(report).toEqual({ spilled: 2, spillFolder });
    await first.close();
    const journals = new SpillJournal(spillFolder).journals();
    expect(journals).toHaveLength(1);
    expect(statSync(journals[0] as string).mode & 0o777).toBe(0o600);
    expect(first.gateway.metrics.text()).toContain('tokenledger_gateway_settlements_spilled_total 2');

    // A replay that committed and then crashed before deleting its journal.
    await hop.open();
    const ledger = await openLedger(location, { recorder: { user: 'gateway@test', machine: 'gateway-machine' } });
    cleanups.push(() => ledger.close());
    await directWrites(ledger, LADDER).commit(journalBatch(journals[0] as string, 'gateway:test'));

    const second = await GatewayRig.start({ config, location, gateway: { spillFolder, commitTuning: TUNING } });
    cleanups.push(() => second.close());
    expect(readdirSync(spillFolder).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    expect(await second.ledger.sessionEvents(RIG_NAMESPACE, 'gateway', 'free')).toHaveLength(2);
    expect((await second.ledger.keyMeters(RIG_NAMESPACE, ['free']))[0]?.promptCount).toBe(2);
  });
});
