import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OTEL_AGENTS } from '../../intake/otel/agents/index.js';
import { claudeCodeOtel } from '../../intake/otel/agents/claude-code.js';
import { codexCliOtel } from '../../intake/otel/agents/codex-cli.js';
import { geminiCliOtel } from '../../intake/otel/agents/gemini-cli.js';
import type { OtelAgent } from '../../intake/otel/otel-agent.js';
import { ENGINES, type TestLedger } from '../../ledger/conformance/engines.js';
import { openSqliteLedger } from '../../ledger/engines/sqlite/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { PriceOverrides } from '../../pricing/overrides.js';
import { Pricer } from '../../pricing/pricer.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { outcomesOf, usageOf } from '../../testing/otel-usage.js';
import { metricPointsOf } from '../../testing/otlp-json.js';
import { agentFixture, type ExporterChoice, type JsonEnvelope, logExporter, sendEnvelope } from '../../testing/otlp-clients.js';
import { OtlpReceiver, type OtlpReceiverOptions } from './otlp-receiver.js';
import { OtlpServer } from './otlp-server.js';

const TOKEN = 'otlp-token-for-tests-0123456789';

interface Rig {
  url: string;
  receiver: OtlpReceiver;
  log: string[];
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver over `ledger` on 127.0.0.1, port 0, with the registry's agents. */
async function receive(ledger: Ledger, options: Partial<OtlpReceiverOptions> = {}): Promise<Rig> {
  const log: string[] = [];
  const receiver = new OtlpReceiver({
    intake: { target: { ledger, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] }, agents: OTEL_AGENTS, metricsAgents: new Set() },
    token: undefined,
    log: (line) => log.push(line),
    who: 'test',
    ...options,
  });
  const server = new OtlpServer(receiver, { host: '127.0.0.1', port: 0 }, undefined);
  const { url } = await server.start();
  cleanups.push(() => server.stop());
  return { url, receiver, log, stop: () => server.stop() };
}

/** A SQLite ledger in a temporary folder, open; `busyMs`: how long a commit waits for another writer. */
async function sqliteLedger(busyMs?: number): Promise<{ fx: FixtureLedger; ledger: Ledger }> {
  const fx = new FixtureLedger();
  const ledger = openSqliteLedger(fx.dbPath, busyMs);
  cleanups.push(() => fx.remove());
  cleanups.push(() => ledger.close());
  return { fx, ledger };
}

/** The dedup keys and buckets the agent makes of a fixture: what the ledger must hold after the export. */
function expectedOf(agent: OtelAgent, name: string): unknown[] {
  return usageOf(outcomesOf(agent, JSON.stringify(agentFixture(name))))
    .map((e) => ({ dedupKey: e.dedupKey, agent: e.agent, model: e.model, inputTokens: e.inputTokens, outputTokens: e.outputTokens, cacheReadTokens: e.cacheReadTokens }))
    .sort((a, b) => a.dedupKey.localeCompare(b.dedupKey));
}

async function heldBy(inspector: TestLedger['inspector']): Promise<unknown[]> {
  return (await inspector.events()).map((e) => ({
    dedupKey: e.dedupKey,
    agent: e.agent,
    model: e.model,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    cacheReadTokens: e.cacheReadTokens,
  }));
}

const send = (envelope: JsonEnvelope, choice: ExporterChoice) => sendEnvelope(envelope, logExporter(choice));

/** One raw request, its answer read whole (the 413 of a body not read to its end included). */
function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    // A body the receiver stops reading may have the connection closed under the rest of it.
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    req.end(body);
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

for (const engine of ENGINES) {
  describe(`OTLP receiver, official exporters as clients (${engine.name})`, () => {
    it('records exactly the usage of each agent’s export, JSON and protobuf, plain and gzip; a redelivered batch counts once', async () => {
      const made = await engine.create();
      cleanups.push(() => made.dispose());
      const ledger = await made.open();
      const rig = await receive(ledger);
      expect(await send(agentFixture('claude-code-logs.json'), { encoding: 'json', url: `${rig.url}/v1/logs` })).toEqual([{ code: 0 }]);
      expect(await send(agentFixture('codex-cli-logs.json'), { encoding: 'protobuf', url: `${rig.url}/v1/logs`, gzip: true })).toEqual([{ code: 0 }]);
      expect(await send(agentFixture('claude-code-logs.json'), { encoding: 'protobuf', url: `${rig.url}/v1/logs` })).toEqual([{ code: 0 }]);
      expect(await send(agentFixture('codex-cli-logs.json'), { encoding: 'json', url: `${rig.url}/v1/logs`, gzip: true })).toEqual([{ code: 0 }]);
      const expected = [...expectedOf(claudeCodeOtel, 'claude-code-logs.json'), ...expectedOf(codexCliOtel, 'codex-cli-logs.json')].sort((a, b) =>
        (a as { dedupKey: string }).dedupKey.localeCompare((b as { dedupKey: string }).dedupKey),
      );
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(await heldBy(made.inspector)).toEqual(expected);
      expect(rig.receiver.counters).toMatchObject({ requests: 4, usage: 2 * expected.length, inserted: expected.length, rejected: 0, unknown: 0, refused: 0 });
    });
  });
}

describe('OTLP receiver replies', () => {
  it('routes POST / on the JSON body’s top-level key, as Gemini CLI posts', async () => {
    const { fx, ledger } = await sqliteLedger();
    const rig = await receive(ledger);
    expect(await send(agentFixture('gemini-cli-logs.json'), { encoding: 'json', url: rig.url })).toEqual([{ code: 0 }]);
    expect(await send(agentFixture('gemini-cli-logs.json'), { encoding: 'json', url: `${rig.url}/` })).toEqual([{ code: 0 }]);
    expect(await heldBy(fx.inspector)).toEqual(expectedOf(geminiCliOtel, 'gemini-cli-logs.json'));
    const traces = await post(`${rig.url}/`, JSON.stringify({ resourceSpans: [] }), JSON_TYPE);
    expect([traces.status, JSON.parse(traces.body.toString())]).toEqual([200, {}]);
    const neither = await post(`${rig.url}/`, JSON.stringify({ something: [] }), JSON_TYPE);
    expect(neither.status).toBe(400);
    expect(JSON.parse(neither.body.toString()).message).toMatch(/resourceLogs, resourceMetrics or resourceSpans/);
  });

  it('reads an agent’s metrics only when they are enabled for it, else takes and ignores them', async () => {
    const { fx, ledger } = await sqliteLedger();
    const metrics = readFileSync(new URL('../../intake/otel/agents/fixtures/claude-code-metrics.json', import.meta.url), 'utf8');
    const points = metricPointsOf(metrics).filter((p) => claudeCodeOtel.ownsPoint?.(p) === true);
    // One event: the token points by type and the cost point of one window; the other metric is ignored.
    const usage = 1;
    const read = points.filter((p) => claudeCodeOtel.seriesOf?.(p).kind === 'series').length;
    expect(read).toBe(5);
    const off = await receive(ledger);
    const ignored = await post(`${off.url}/v1/metrics`, metrics, JSON_TYPE);
    expect([ignored.status, JSON.parse(ignored.body.toString())]).toEqual([200, {}]);
    expect(off.receiver.counters).toMatchObject({ usage: 0, ignored: points.length });
    expect(await fx.inspector.eventCount()).toBe(0);
    const on = await receive(ledger, {
      intake: { target: { ledger, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] }, agents: OTEL_AGENTS, metricsAgents: new Set(['claude-code']) },
    });
    expect((await post(`${on.url}/v1/metrics`, gzipSync(metrics), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect(on.receiver.counters).toMatchObject({ usage, ignored: points.length - read });
    expect(await fx.inspector.eventCount()).toBe(usage);
  });

  it('answers 503 with Retry-After while the ledger is locked, and the exporter’s retry counts once', async () => {
    const { fx, ledger } = await sqliteLedger(100);
    const rig = await receive(ledger);
    await ledger.priceVersionId('warm-up'); // the schema exists before another connection locks it
    const holder = new Database(fx.dbPath);
    holder.exec('BEGIN IMMEDIATE');
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      holder.exec('ROLLBACK');
      holder.close();
    };
    cleanups.push(release);
    // The lock is let go once the receiver has refused the first attempt.
    const watching = setInterval(() => rig.log.some((l) => l.includes(' 503 ')) && release(), 20);
    cleanups.push(() => clearInterval(watching));
    expect(await send(agentFixture('claude-code-logs.json'), { encoding: 'protobuf', url: `${rig.url}/v1/logs`, timeoutMillis: 30_000 })).toEqual([{ code: 0 }]);
    expect(rig.log.filter((l) => l.includes(' 503 '))).toHaveLength(1);
    expect(rig.log[0]).toMatch(/^test: 503 POST \/v1\/logs: the ledger cannot take it now \(LEDGER_LOCKED\)/);
    expect(await heldBy(fx.inspector)).toEqual(expectedOf(claudeCodeOtel, 'claude-code-logs.json'));
  });

  it('answers a batch with records it cannot use with partialSuccess: the agents’ rejected records and unknown agents’ records, counted', async () => {
    const { fx, ledger } = await sqliteLedger();
    const rig = await receive(ledger);
    const envelope = agentFixture('claude-code-logs.json');
    const records = envelope.resourceLogs[0]?.scopeLogs[0]?.logRecords ?? [];
    // The first api_request loses its model; a resource of another program joins the batch.
    const request = records.find((r) => r.body?.stringValue === 'claude_code.api_request');
    if (request?.attributes === undefined) throw new Error('the fixture has an api_request');
    request.attributes = request.attributes.filter((a) => a.key !== 'model');
    envelope.resourceLogs.push({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'foo' } }] },
      scopeLogs: [{ scope: { name: 'foo' }, logRecords: [{ body: { stringValue: 'x' } }, { body: { stringValue: 'y' } }] }],
    });
    const reply = await post(`${rig.url}/v1/logs`, JSON.stringify(envelope), JSON_TYPE);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body.toString())).toEqual({
      partialSuccess: {
        rejectedLogRecords: '3',
        errorMessage: '1 record rejected (claude-code: claude_code.api_request: model is missing); 2 records of an agent tokenledger does not read (service.name=foo)',
      },
    });
    expect(await fx.inspector.events()).toHaveLength(1);
    const drops = await ledger.drops(10);
    expect(drops.map((d) => [d.path, d.reason])).toEqual([
      ['otlp:claude-code', expect.stringMatching(/^record at 2025-10-01T10:00:05.200Z \(event\.sequence 4\): claude_code\.api_request: model is missing$/)],
    ]);
    expect(rig.receiver.counters).toMatchObject({ usage: 1, rejected: 1, unknown: 2 });
  });

  it('refuses a body over the cap (413, not read to its end), and a gzip body that inflates past it', async () => {
    const { ledger } = await sqliteLedger();
    const rig = await receive(ledger, { maxBodyBytes: 64 * 1024 });
    const big = Buffer.alloc(200 * 1024, 0x20);
    const declared = await post(`${rig.url}/v1/logs`, big, JSON_TYPE);
    expect([declared.status, declared.headers.connection]).toEqual([413, 'close']);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await post(`${rig.url}/v1/logs`, bomb, { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(JSON.parse(inflated.body.toString()).message).toMatch(/over the 65536-byte cap/);
    const chunked = await post(`${rig.url}/v1/logs`, big, { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' });
    expect(chunked.status).toBe(413);
  });

  it('answers 400 to a body that can never be taken, 404/405/415 to what is not an OTLP export', async () => {
    const { ledger } = await sqliteLedger();
    const rig = await receive(ledger);
    const bad = await post(`${rig.url}/v1/logs`, '{"resourceLogs": [', JSON_TYPE);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    const badGzip = await post(`${rig.url}/v1/logs`, 'not gzip', { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    expect((await post(`${rig.url}/v1/spans`, '{}', JSON_TYPE)).status).toBe(404);
    const get = await post(`${rig.url}/v1/logs`, '', {}, 'GET');
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    expect((await post(`${rig.url}/`, '', {}, 'GET')).status).toBe(405);
    const plain = await post(`${rig.url}/v1/logs`, '{}', { 'Content-Type': 'text/plain' });
    expect(plain.status).toBe(415);
    // A sender whose encoding is unknown gets a Status it can read: JSON.
    expect(plain.headers['content-type']).toBe('application/json');
    expect(JSON.parse(plain.body.toString())).toMatchObject({ code: 3, message: expect.stringContaining('gRPC is not served') });
    expect((await post(`${rig.url}/v1/logs`, '{}', { ...JSON_TYPE, 'Content-Encoding': 'zstd' })).status).toBe(415);
    expect((await post(`${rig.url}/v1/logs`, '{}', { 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);
    expect((await post(`${rig.url}/v1/traces`, 'anything', { 'Content-Type': 'application/x-protobuf' })).status).toBe(200);
  });

  it('needs the bearer token when one is set: 401 without it or with another, compared in constant time', async () => {
    const { fx, ledger } = await sqliteLedger();
    const rig = await receive(ledger, { token: TOKEN });
    expect((await post(`${rig.url}/v1/logs`, '{}', JSON_TYPE)).status).toBe(401);
    const wrong = await post(`${rig.url}/v1/logs`, '{}', { ...JSON_TYPE, Authorization: 'Bearer not-the-token-0123456789' });
    expect([wrong.status, wrong.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    expect(await send(agentFixture('claude-code-logs.json'), { encoding: 'json', url: `${rig.url}/v1/logs`, headers: { Authorization: `Bearer ${TOKEN}` } })).toEqual([{ code: 0 }]);
    expect((await fx.inspector.events()).length).toBeGreaterThan(0);
    expect(rig.log.join('\n')).not.toContain(TOKEN);
  });

  it('answers 429 with Retry-After when too many requests are in flight', async () => {
    const { ledger } = await sqliteLedger();
    const rig = await receive(ledger, { maxInFlight: 1 });
    // A request whose body has not ended holds the only place.
    const held = httpRequest(`${rig.url}/v1/logs`, { method: 'POST', headers: { ...JSON_TYPE, 'Content-Length': '100' } });
    const heldAnswer = new Promise<number>((resolve) =>
      held.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    held.write('{');
    // The held request reaches the receiver before the next one is sent.
    while (rig.receiver.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    const refused = await post(`${rig.url}/v1/logs`, '{}', JSON_TYPE);
    expect([refused.status, refused.headers['retry-after']]).toEqual([429, '1']);
    held.end(`${' '.repeat(98)}}`);
    expect(await heldAnswer).toBe(200);
  });
});
