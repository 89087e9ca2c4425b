import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { fakeOpenAi, type OpenAiScenario } from '../testing/fake-upstreams/openai.js';
import { GatewayRig } from '../testing/gateway-rig.js';

const UPSTREAM_KEY = 'sk-proj-upstream-credential';

let fake: FakeServer<OpenAiScenario>;
let rig: GatewayRig;

afterEach(async () => {
  await rig?.close();
  await fake?.close();
});

async function start(defaults: OpenAiScenario, upstream = 'openai'): Promise<void> {
  fake = await fakeOpenAi(UPSTREAM_KEY, defaults);
  rig = await GatewayRig.start({ config: { upstreams: { [upstream]: { baseUrl: `${fake.url}/v1`, apiKey: UPSTREAM_KEY } } }, keys: [{ name: 'bot', budgetUsd: 10 }] });
}

const client = (base = `${rig.url}/v1`): OpenAI => new OpenAI({ apiKey: rig.secret('bot'), baseURL: base });

describe('gateway in front of the OpenAI API, with the official SDK', () => {
  it('meters Chat Completions on the bare path agents use: prompt less cached is input, reasoning inside output', async () => {
    await start({ usage: { prompt: 1000, cached: 600, completion: 300, reasoning: 120 } });
    const completion = await client().chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 500 });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake.');
    const [event] = await rig.events('bot');
    expect(event).toMatchObject({ provider: 'openai', model: 'gpt-5', inputTokens: 400, cacheReadTokens: 600, outputTokens: 300, reasoningTokens: 120 });
    expect(fake.last.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(fake.last.headers)).not.toContain(rig.secret('bot'));
  });

  it('injects include_usage into a stream that did not ask, meters it, and strips the usage chunk from what the client gets', async () => {
    await start({ usage: { prompt: 50, completion: 25 }, text: 'a b c' });
    const stream = await client(`${rig.url}/openai/v1`).chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
    expect(chunks.every((c) => c.usage === undefined && c.choices.length > 0)).toBe(true);
    expect((JSON.parse(fake.last.body.toString()) as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
    const [event] = await rig.events('bot');
    expect(event).toMatchObject({ inputTokens: 50, outputTokens: 25 });
  });

  it('a client that asked for usage keeps its usage chunk', async () => {
    await start({ usage: { prompt: 5, completion: 6 } });
    const stream = await client().chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });
    expect(await rig.events('bot')).toMatchObject([{ inputTokens: 5, outputTokens: 6 }]);
  });

  it('meters a streamed Responses request from response.completed', async () => {
    await start({ usage: { prompt: 70, cached: 20, completion: 40, reasoning: 10 } });
    const stream = await client().responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    expect(await rig.events('bot')).toMatchObject([{ inputTokens: 50, cacheReadTokens: 20, outputTokens: 40, reasoningTokens: 10 }]);
  });

  it('an OpenAI-compatible upstream is mounted by its name and priced under it, its own cost figure kept beside ours', async () => {
    await start({ usage: { prompt: 100, completion: 10, cost: 0.00042 } }, 'openrouter');
    await client(`${rig.url}/openrouter/v1`).chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] });
    const [event] = await rig.events('bot');
    expect(event).toMatchObject({ provider: 'openrouter', inputTokens: 100, outputTokens: 10 });
    const [meter] = await rig.ledger.keyMeters('cost-tracking', ['bot']);
    expect(meter?.reportedCostNanos).toBe(420_000);
    // Not configured: the bare OpenAI paths do not reach the compatible upstream.
    const bare = await fetch(`${rig.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${rig.secret('bot')}` }, body: '{}' });
    expect(bare.status).toBe(404);
    expect(await bare.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});
