import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import type { AnthropicScenario } from '../testing/fake-upstreams/anthropic.js';
import { GatewayRig, type RigKey } from '../testing/gateway-rig.js';

const UPSTREAM_KEY = 'sk-ant-upstream-credential';
const MODEL = 'claude-sonnet-4-5';

let fake: FakeServer<AnthropicScenario>;
let rig: GatewayRig;

async function start(keys: RigKey[], defaults: AnthropicScenario = {}, limits = {}): Promise<void> {
  fake = await fakeAnthropic(UPSTREAM_KEY, defaults);
  rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } }, limits }, keys });
}

afterEach(async () => {
  await rig?.close();
  await fake?.close();
});

function client(name: string): Anthropic {
  return new Anthropic({ apiKey: rig.secret(name), baseURL: rig.url });
}

describe('gateway in front of the Anthropic API, with the official SDK', () => {
  it('meters a request: one event with exact buckets, the key as session; the client credential is replaced by the upstream one', async () => {
    await start([{ name: 'alice', project: 'web' }], { usage: { input: 120, output: 30, cacheWrite5m: 40, cacheWrite1h: 10, cacheRead: 500 } });
    const message = await client('alice').messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake.' });
    const events = await rig.events('alice');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ model: MODEL, provider: 'anthropic', project: 'web', inputTokens: 120, outputTokens: 30, cacheWrite5mTokens: 40, cacheWrite1hTokens: 10, cacheReadTokens: 500 });
    expect(events[0]?.costNanos).toBeGreaterThan(0);
    const sent = fake.last;
    expect(sent.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(JSON.stringify(sent.headers)).not.toContain(rig.secret('alice'));
    const [meter] = await rig.ledger.keyMeters('cost-tracking', ['alice']);
    expect(meter).toMatchObject({ promptCount: 1, inputTokens: 120, outputTokens: 30, cacheReadTokens: 500 });
  });

  it('passes a stream through as it arrives and meters it from the stream itself', async () => {
    await start([{ name: 'alice' }], { usage: { input: 50, output: 77, cacheWrite1h: 9 }, text: 'one two three four' });
    const stream = client('alice').messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const text: string[] = [];
    stream.on('text', (t) => text.push(t));
    const final = await stream.finalMessage();
    expect(text.join('')).toBe('one two three four');
    expect(final.usage.output_tokens).toBe(77);
    const [event] = await rig.events('alice');
    expect(event).toMatchObject({ inputTokens: 50, outputTokens: 77, cacheWrite1hTokens: 9, cacheWrite5mTokens: 0 });
  });

  it('refuses a request over the key budget with 402 naming the budget, sends nothing upstream, and the SDK does not retry', async () => {
    await start([{ name: 'poor', budgetUsd: 0.000001 }]);
    const error = await client('poor')
      .messages.create({ model: MODEL, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(402);
    expect(apiError.message).toContain('budget key:poor (month)');
    expect(apiError.message).toContain('resets at');
    expect(fake.requests).toHaveLength(0);
    expect(rig.gateway.metrics.requests.get({ key: 'poor', provider: 'anthropic', model: MODEL, status: '402' })).toBe(1);
    expect(rig.gateway.metrics.refusals.get({ reason: 'budget' })).toBe(1);
  });

  it('refuses an unknown key with 401 in the Anthropic shape, and rate-limits an address that keeps failing', async () => {
    await start([{ name: 'alice' }]);
    const bad = new Anthropic({ apiKey: 'tlk_not-a-real-key-000000000000000000000000000', baseURL: rig.url, maxRetries: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const e = await bad.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
      statuses.push((e as InstanceType<typeof Anthropic.APIError>).status as number);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(fake.requests).toHaveLength(0);
    expect(rig.gateway.metrics.authFailures.get({})).toBe(10);
    expect(rig.lines.join('\n')).not.toContain('tlk_');
  });

  it('passes count_tokens and models through unmetered, even for a key with no budget left', async () => {
    await start([{ name: 'poor', budgetUsd: 0.000001 }]);
    const count = await client('poor').messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    expect(count.input_tokens).toBe(12);
    const models = await client('poor').models.list();
    expect(models.data[0]?.id).toBe('claude-sonnet-4-5-20250929');
    expect(await rig.events('poor')).toHaveLength(0);
  });

  it('with x-tokenledger-key, a client subscription bearer token goes through instead of the configured credential', async () => {
    fake = await fakeAnthropic('sk-ant-oat01-subscription-token');
    rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } } }, keys: [{ name: 'alice' }] });
    const oauth = new Anthropic({ authToken: 'sk-ant-oat01-subscription-token', apiKey: null, baseURL: rig.url, defaultHeaders: { 'x-tokenledger-key': rig.secret('alice') } });
    await oauth.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(fake.last.headers.authorization).toBe('Bearer sk-ant-oat01-subscription-token');
    expect(fake.last.headers['x-tokenledger-key']).toBeUndefined();
    expect(fake.last.headers['x-api-key']).toBeUndefined();
    expect(await rig.events('alice')).toHaveLength(1);
  });

  it('refuses a model without a price for a key with a budget, saying how to price it', async () => {
    await start([{ name: 'team', budgetUsd: 100 }]);
    const error = await new Anthropic({ apiKey: rig.secret('team'), baseURL: rig.url, maxRetries: 0 }).messages
      .create({ model: 'claude-nobody-knows-9', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof Anthropic.APIError>,
      );
    expect(error?.status).toBe(400);
    expect(error?.message).toContain('has no price');
    expect(fake.requests).toHaveLength(0);
  });
});
