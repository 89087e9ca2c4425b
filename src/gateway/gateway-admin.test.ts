import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { SOURCES } from '../sources/index.js';
import { sync } from '../sync/sync.js';
import { type AnthropicScenario, fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { GatewayRig, RIG_ADMIN_TOKEN, RIG_NAMESPACE } from '../testing/gateway-rig.js';

const UPSTREAM_KEY = 'sk-ant-upstream-credential';
const MODEL = 'claude-sonnet-4-5';

let fake: FakeServer<AnthropicScenario>;
let rig: GatewayRig;

afterEach(async () => {
  await rig?.close();
  await fake?.close();
});

async function start(defaults: AnthropicScenario = {}): Promise<void> {
  fake = await fakeAnthropic(UPSTREAM_KEY, defaults);
  rig = await GatewayRig.start({
    config: { upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } } },
    keys: [{ name: 'alice', budgetUsd: 5 }, { name: 'bob' }],
  });
}

const get = (path: string, token?: string, method = 'GET'): Promise<Response> => fetch(`${rig.url}${path}`, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe('gateway admin API and metrics', () => {
  it('serves the meters with the admin token; a key reads its own meter only; reset starts a new epoch', async () => {
    await start({ usage: { input: 100, output: 20, cacheRead: 300 } });
    await new Anthropic({ apiKey: rig.secret('alice'), baseURL: rig.url }).messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await rig.events('alice');

    expect((await get('/tokenledger/v1/usage')).status).toBe(401);
    expect((await get('/tokenledger/v1/usage', rig.secret('alice'))).status).toBe(401);
    const all = (await (await get('/tokenledger/v1/usage', RIG_ADMIN_TOKEN)).json()) as { keys: Array<Record<string, unknown>> };
    expect(all.keys.map((k) => k.name)).toEqual(['alice', 'bob']);
    expect(all.keys[0]).toMatchObject({ prompt_count: 1, total_prompt_tokens: 400, total_completion_tokens: 20, total_tokens: 420, cached_tokens: 300, revoked: false });

    const own = await get('/tokenledger/v1/usage/alice', rig.secret('alice'));
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ name: 'alice', prompt_count: 1 });
    expect((await get('/tokenledger/v1/usage/alice', rig.secret('bob'))).status).toBe(401);
    expect((await get('/tokenledger/v1/usage/nobody', RIG_ADMIN_TOKEN)).status).toBe(404);

    expect((await get('/tokenledger/v1/usage/alice/reset', rig.secret('alice'), 'POST')).status).toBe(401);
    const reset = await get('/tokenledger/v1/usage/alice/reset', RIG_ADMIN_TOKEN, 'POST');
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ name: 'alice', prompt_count: 0, total_tokens: 0 });
    // The ledger keeps every event: a reset loses nothing.
    expect(await rig.ledger.sessionEvents(RIG_NAMESPACE, 'gateway', 'alice')).toHaveLength(1);
  });

  it('exposes /metrics in the Prometheus text format: requests, tokens, cost, durations, budget remaining, refusals', async () => {
    await start({ usage: { input: 1000, output: 200 } });
    await new Anthropic({ apiKey: rig.secret('alice'), baseURL: rig.url }).messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await rig.events('alice');
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const families = new Map(parsePrometheusTextFormat(await response.text()).map((f) => [f.name, f]));
    const requests = families.get('tokenledger_gateway_requests_total');
    expect(requests?.type).toBe('COUNTER');
    expect(requests?.metrics).toEqual([{ labels: { key: 'alice', provider: 'anthropic', model: MODEL, status: '200' }, value: '1' }]);
    const tokens = families.get('tokenledger_gateway_tokens_total')?.metrics ?? [];
    expect(tokens).toContainEqual({ labels: { key: 'alice', provider: 'anthropic', model: MODEL, type: 'input' }, value: '1000' });
    expect(tokens).toContainEqual({ labels: { key: 'alice', provider: 'anthropic', model: MODEL, type: 'output' }, value: '200' });
    const cost = Number(families.get('tokenledger_gateway_cost_usd_total')?.metrics[0]?.value);
    // claude-sonnet-4-5: $3/MTok input, $15/MTok output.
    expect(cost).toBeCloseTo(1000 * 3e-6 + 200 * 15e-6, 9);
    expect(families.get('tokenledger_gateway_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('tokenledger_gateway_overhead_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('tokenledger_gateway_in_flight_requests')?.metrics[0]?.value).toBe('0');
    const remaining = families.get('tokenledger_gateway_budget_remaining_usd')?.metrics ?? [];
    expect(remaining).toHaveLength(1);
    expect(Number(remaining[0]?.value)).toBeCloseTo(5 - cost, 9);
    const refusals = families.get('tokenledger_gateway_refusals_total')?.metrics.map((m) => m.labels?.reason);
    expect(refusals).toEqual(expect.arrayContaining(['auth', 'budget', 'rate', 'body_size', 'timeout', 'concurrency']));
  });

  it('a Claude Code request metered by the gateway and also found in Claude Code log counts once', async () => {
    await start({ usage: { input: 10, output: 100, cacheRead: 40_000 }, messageId: 'msg_01SameRequest', requestId: 'req_011SameRequest' });
    await new Anthropic({ apiKey: rig.secret('alice'), baseURL: rig.url }).messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await rig.events('alice');
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-claude-'));
    try {
      const line = {
        parentUuid: null,
        isSidechain: false,
        userType: 'external',
        cwd: '/home/dev/app',
        sessionId: 'sess-1',
        version: '2.0.31',
        message: {
          id: 'msg_01SameRequest',
          type: 'message',
          role: 'assistant',
          model: MODEL,
          content: [{ type: 'text', text: 'Hello from the fake.' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 40_000, output_tokens: 100, service_tier: 'standard' },
        },
        type: 'assistant',
        uuid: 'u1',
        timestamp: new Date().toISOString(),
        requestId: 'req_011SameRequest',
      };
      mkdirSync(join(dir, 'projects', '-home-dev-app'), { recursive: true });
      writeFileSync(join(dir, 'projects', '-home-dev-app', 'sess-1.jsonl'), `${JSON.stringify(line)}\n`);
      const report = await sync({ sources: SOURCES, namespace: RIG_NAMESPACE, env: { CLAUDE_CONFIG_DIR: dir, HOME: dir }, ledger: rig.ledger, pricer: new Pricer(new PriceOverrides({})) });
      expect(report.inserted).toBe(0);
      const [totals] = await rig.ledger.usage({ namespace: RIG_NAMESPACE }, []);
      expect(totals).toMatchObject({ events: 1, inputTokens: 10, outputTokens: 100, cacheReadTokens: 40_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on an address other than loopback, /metrics needs the admin token too', async () => {
    fake = await fakeAnthropic(UPSTREAM_KEY);
    rig = await GatewayRig.start({ config: { listen: '0.0.0.0:0', allowPlainHttp: true, upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } } } });
    const port = new URL(rig.url).port;
    const metrics = (token?: string): Promise<Response> => fetch(`http://127.0.0.1:${port}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    expect((await metrics()).status).toBe(401);
    expect((await metrics('wrong-token')).status).toBe(401);
    expect((await metrics(RIG_ADMIN_TOKEN)).status).toBe(200);
  });
});
