import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { type AnthropicScenario, fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { GatewayRig, type RigKey } from '../testing/gateway-rig.js';
import type { GatewayLimitsConfig } from '../config/gateway-schema.js';
import type { Prepared } from './provider.js';
import { providerFor } from './providers/index.js';
import { reservationFor } from './reservation.js';

const UPSTREAM_KEY = 'sk-ant-upstream-credential';
const MODEL = 'claude-sonnet-4-5';
const BODY = JSON.stringify({ model: MODEL, max_tokens: 1000, stream: true, messages: [{ role: 'user', content: 'hello' }] });

let fake: FakeServer<AnthropicScenario>;
let rig: GatewayRig;

async function start(keys: RigKey[], defaults: AnthropicScenario = {}, limits: GatewayLimitsConfig = {}): Promise<void> {
  fake = await fakeAnthropic(UPSTREAM_KEY, defaults);
  rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } }, limits }, keys });
}

afterEach(async () => {
  await rig?.close();
  await fake?.close();
});

function post(name: string, body = BODY, signal?: AbortSignal): Promise<Response> {
  return fetch(`${rig.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': rig.secret(name), 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body,
    ...(signal === undefined ? {} : { signal }),
  });
}

/** What the gateway reserves for `BODY`. */
async function reservation(): Promise<number> {
  const prepared = providerFor('anthropic').route('POST', '/v1/messages')?.prepare?.(Buffer.from(BODY)) as Prepared;
  const amount = reservationFor(await new Pricer(new PriceOverrides({})).table(), 'anthropic', prepared, Buffer.byteLength(BODY), Date.now());
  if (!('amountNanos' in amount)) throw new Error('unpriced');
  return amount.amountNanos;
}

describe('gateway limits and failures', () => {
  it('of N concurrent requests against the last dollars, admits exactly as many as fit', async () => {
    const amount = await reservation();
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    // Room for three reservations and a half: the fourth and later are refused.
    await start([{ name: 'team', budgetUsd: (3.5 * amount) / 1e9 }], { usage: { input: 10, output: 5 }, pauseAfter: 0, resume: held });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('team')));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 402, 402, 402, 402, 402, 402, 402]);
    expect(fake.requests).toHaveLength(3);
    const bodies = responses.map((r) => r.text());
    resume();
    const texts = await Promise.all(bodies);
    const refused = JSON.parse(texts[responses.findIndex((r) => r.status === 402)] as string);
    expect(refused).toMatchObject({ type: 'error', error: { type: 'budget_exceeded' } });
    const events = await rig.events('team');
    expect(events).toHaveLength(3);
    expect(await rig.ledger.reservedNanos('cost-tracking')).toEqual(new Map());
  });

  it('when the client disconnects mid-stream, keeps reading the upstream and records the whole usage', async () => {
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    await start([{ name: 'alice', budgetUsd: 100 }], { usage: { input: 300, output: 4242 }, pauseAfter: 1, resume: held });
    const abort = new AbortController();
    const response = await post('alice', BODY, abort.signal);
    const reader = response.body?.getReader();
    await reader?.read();
    abort.abort();
    await reader?.cancel().catch(() => {});
    resume();
    const events = await rig.events('alice');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ inputTokens: 300, outputTokens: 4242 });
    expect(await rig.ledger.reservedNanos('cost-tracking')).toEqual(new Map());
  });

  it('stop() stops accepting, lets the request in flight finish and commits its usage', async () => {
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    await start([{ name: 'alice' }], { usage: { input: 7, output: 8 }, pauseAfter: 0, resume: held });
    const response = await post('alice');
    const stopped = rig.gateway.stop();
    const refused = await post('alice').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    resume();
    expect(await response.text()).toContain('message_stop');
    await stopped;
    const events = await rig.ledger.sessionEvents('cost-tracking', 'gateway', 'alice');
    expect(events).toMatchObject([{ inputTokens: 7, outputTokens: 8 }]);
  });

  it('refuses a body over the limit with 413 and an unknown route with 404, both in the provider shape, sending nothing', async () => {
    await start([{ name: 'alice' }], {}, { maxBodyBytes: 1024 });
    const big = await post('alice', JSON.stringify({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(5000) }] }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const unknown = await fetch(`${rig.url}/v1/unknown`, { headers: { 'x-api-key': rig.secret('alice') } });
    expect(unknown.status).toBe(404);
    const unconfigured = await fetch(`${rig.url}/openai/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(unconfigured.status).toBe(404);
    const traversal = await fetch(`${rig.url}/anthropic/..%2f..%2fetc/passwd`);
    expect(traversal.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
    expect(rig.gateway.metrics.refusals.get({ reason: 'body_size' })).toBe(1);
  });

  it('answers 504 when the upstream sends nothing in time, and releases the reservation', async () => {
    // An upstream that takes the request and never answers.
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      fake = await fakeAnthropic(UPSTREAM_KEY);
      const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl, apiKey: UPSTREAM_KEY } }, limits: { upstreamFirstByteTimeoutMs: 100 } }, keys: [{ name: 'alice', budgetUsd: 100 }] });
      const slow = await post('alice');
      expect(slow.status).toBe(504);
      expect(await slow.json()).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
      expect(await rig.events('alice')).toHaveLength(0);
      expect(await rig.ledger.reservedNanos('cost-tracking')).toEqual(new Map());
      expect(rig.gateway.metrics.refusals.get({ reason: 'timeout' })).toBe(1);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses past the cap on concurrent requests (503) and past a key rpm (429), counting each refusal', async () => {
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    await start([{ name: 'alice' }, { name: 'slow', rpm: 2 }], { pauseAfter: 0, resume: held }, { maxConcurrentRequests: 1 });
    const first = await post('alice');
    const second = await post('alice');
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    resume();
    await first.text();
    await rig.gateway.whenIdle();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post('slow');
      statuses.push(r.status);
      await r.text();
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(rig.gateway.metrics.refusals.get({ reason: 'concurrency' })).toBe(1);
    expect(rig.gateway.metrics.refusals.get({ reason: 'rate' })).toBe(1);
  });

  it('the client idle timeout cuts a client that stops sending, never one waiting on a slow upstream', async () => {
    // An upstream that answers the model list after three idle timeouts' time.
    const slow = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'), 450);
    });
    slow.listen(0, '127.0.0.1');
    await once(slow, 'listening');
    try {
      fake = await fakeAnthropic(UPSTREAM_KEY);
      const baseUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl, apiKey: UPSTREAM_KEY } }, limits: { idleTimeoutMs: 150 } }, keys: [{ name: 'alice' }] });
      const models = await fetch(`${rig.url}/v1/models`, { headers: { 'x-api-key': rig.secret('alice') } });
      expect(models.status).toBe(200);
      // A client that announces a body and never sends it.
      const { port } = new URL(rig.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(`POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: ${rig.secret('alice')}\r\ncontent-length: 100\r\n\r\n{`);
      await once(socket, 'close');
      expect(rig.gateway.metrics.refusals.get({ reason: 'timeout' })).toBe(1);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
