import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Captured, capture, everySplit, readChunked } from '../../../testing/fake-upstreams/capture.js';
import type { FakeServer } from '../../../testing/fake-upstreams/fake-server.js';
import { fakeOpenAi, type OpenAiScenario } from '../../../testing/fake-upstreams/openai.js';
import type { Prepared, PrepareError } from '../../provider.js';
import { providerFor } from '../index.js';
import { openai } from './index.js';

const KEY = 'sk-proj-upstream';
let fake: FakeServer<OpenAiScenario>;
beforeAll(async () => {
  fake = await fakeOpenAi(KEY);
});
afterAll(() => fake.close());

function prepareText(path: string, text: string, provider = openai): Prepared | PrepareError {
  const operation = provider.route('POST', path);
  if (operation?.prepare === undefined) throw new Error('not metered');
  return operation.prepare(Buffer.from(text));
}

function prepare(path: string, body: Record<string, unknown>, provider = openai): Prepared {
  const prepared = prepareText(path, JSON.stringify(body), provider);
  if ('error' in prepared) throw new Error(prepared.error);
  return prepared;
}

/** Sends `body` as the gateway would forward it (after `prepare`), and keeps the answer. */
async function answer(path: string, body: Buffer | Record<string, unknown>, scenario: OpenAiScenario): Promise<Captured> {
  fake.answer(scenario);
  return capture(`${fake.url}/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

const CHAT = { model: 'gpt-5', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 900 };
const RESPONSES = { model: 'gpt-5', input: 'Hi', max_output_tokens: 700 };
const USAGE = { prompt: 5000, cached: 4096, completion: 800, reasoning: 512 };
const BUCKETS = { inputTokens: 904, outputTokens: 800, reasoningTokens: 512, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 4096 };

describe('openai routes and credentials', () => {
  it('meters chat completions and responses at paths under the SDK base URL, passes models through', () => {
    expect([openai.route('POST', '/v1/chat/completions')?.upstreamPath, openai.route('POST', '/v1/responses')?.upstreamPath]).toEqual(['/chat/completions', '/responses']);
    expect(openai.route('GET', '/v1/models')).toEqual({ name: 'models', upstreamPath: '/models' });
    expect(openai.route('GET', '/v1/models/gpt-5')?.upstreamPath).toBe('/models/gpt-5');
    expect(openai.route('POST', '/v1/embeddings')).toBeUndefined();
    expect(openai.clientKey({ authorization: 'Bearer tl_x' }, new URLSearchParams())).toBe('tl_x');
    expect(openai.upstreamAuth('sk')).toEqual({ authorization: 'Bearer sk' });
  });

  it('names any other upstream an OpenAI-compatible one priced under its name', () => {
    expect([providerFor('anthropic').kind, providerFor('openai').kind]).toEqual(['anthropic', 'openai']);
    const router = providerFor('openrouter');
    expect([router.kind, router.pricingProvider, router.defaultBaseUrl, router.credentialEnv]).toEqual(['openai-compatible', 'openrouter', undefined, undefined]);
    expect(providerFor('openrouter')).toBe(router);
    expect(providerFor('__proto__').pricingProvider).toBe('__proto__');
  });
});

describe('openai request preparation', () => {
  it('reads the output bound from max_completion_tokens, else max_tokens, and the tier asked for', () => {
    expect(prepare('/v1/chat/completions', CHAT).maxOutputTokens).toBe(900);
    expect(prepare('/v1/chat/completions', { model: 'm', max_tokens: 30, service_tier: 'flex' })).toMatchObject({ maxOutputTokens: 30, serviceTier: 'flex' });
    expect(prepare('/v1/chat/completions', { model: 'm', service_tier: 'auto' }).serviceTier).toBeUndefined();
    expect(prepare('/v1/responses', RESPONSES)).toMatchObject({ maxOutputTokens: 700, stream: false });
    expect(prepareText('/v1/responses', '{"input":"x"}')).toEqual({ error: 'the request names no model' });
  });

  it('leaves a body alone unless a stream lacks include_usage, then adds it', () => {
    const plain = Buffer.from(JSON.stringify(CHAT));
    expect(openai.route('POST', '/v1/chat/completions')?.prepare?.(plain)).toMatchObject({ body: plain });
    const asked = prepare('/v1/chat/completions', { ...CHAT, stream: true, stream_options: { include_usage: true } });
    expect(JSON.parse(asked.body.toString()).stream_options).toEqual({ include_usage: true });
    const added = prepare('/v1/chat/completions', { ...CHAT, stream: true });
    expect(JSON.parse(added.body.toString())).toEqual({ ...CHAT, stream: true, stream_options: { include_usage: true } });
    const merged = prepare('/v1/chat/completions', { ...CHAT, stream: true, stream_options: { include_obfuscation: false, include_usage: false } });
    expect(JSON.parse(merged.body.toString()).stream_options).toEqual({ include_obfuscation: false, include_usage: true });
  });
});

describe('openai chat usage', () => {
  it('reads JSON: cached out of prompt, reasoning inside completion, the tier served, the dedup key', async () => {
    const answered = await answer('/chat/completions', CHAT, { usage: USAGE, id: 'chatcmpl-J1', serviceTier: 'priority', model: 'gpt-5-2025-08-07' });
    expect(readChunked(prepare('/v1/chat/completions', CHAT), answered, [10]).usage).toEqual({
      model: 'gpt-5-2025-08-07',
      ...BUCKETS,
      responseId: 'chatcmpl-J1',
      dedupKey: 'gateway:openai:chatcmpl-J1',
      serviceTier: 'priority',
    });
  });

  it('injects include_usage and the client receives exactly the stream it would have without it', async () => {
    const prepared = prepare('/v1/chat/completions', { ...CHAT, stream: true });
    const scenario = { usage: USAGE, id: 'chatcmpl-S1', text: 'one two three' };
    const withUsage = await answer('/chat/completions', prepared.body, scenario);
    expect(fake.last.body.equals(prepared.body)).toBe(true);
    const without = await answer('/chat/completions', { ...CHAT, stream: true }, scenario);
    expect(withUsage.body.toString()).toContain('"choices":[],"usage":{');
    for (const cuts of everySplit(withUsage.body.length)) {
      const { usage, passed } = readChunked(prepared, withUsage, cuts);
      expect(usage).toEqual({ model: 'gpt-5', ...BUCKETS, responseId: 'chatcmpl-S1', dedupKey: 'gateway:openai:chatcmpl-S1' });
      expect(passed.toString()).toBe(without.body.toString());
    }
  });

  it('keeps keep-alive comments while removing what include_usage added', () => {
    const sent =
      ': OPENROUTER PROCESSING\n\ndata: {"id":"g","choices":[{"delta":{"content":"x"}}],"usage":null}\n\n: OPENROUTER PROCESSING\ndata: {"id":"g","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"cost":0.5}}\n\ndata: [DONE]\n\n';
    const seen = ': OPENROUTER PROCESSING\n\ndata: {"id":"g","choices":[{"delta":{"content":"x"}}]}\n\n: OPENROUTER PROCESSING\ndata: [DONE]\n\n';
    const answered: Captured = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: Buffer.from(sent) };
    for (const cuts of everySplit(answered.body.length)) {
      const { usage, passed } = readChunked(prepare('/v1/chat/completions', { ...CHAT, stream: true }, providerFor('openrouter')), answered, cuts);
      expect(passed.toString()).toBe(seen);
      expect(usage).toMatchObject({ inputTokens: 3, outputTokens: 1, reportedCostNanos: 500_000_000, dedupKey: 'gateway:openrouter:g' });
    }
  });

  it('passes the usage chunk through untouched when the client asked for it', async () => {
    const body = { ...CHAT, stream: true, stream_options: { include_usage: true } };
    const answered = await answer('/chat/completions', body, { usage: USAGE });
    for (const cuts of [[], [1], [answered.body.length - 20]]) {
      const { usage, passed } = readChunked(prepare('/v1/chat/completions', body), answered, cuts);
      expect(passed.equals(answered.body)).toBe(true);
      expect(usage?.cacheReadTokens).toBe(4096);
    }
  });

  it('reads no usage from an error mid-stream, a cut stream or an error answer', async () => {
    const body = { ...CHAT, stream: true };
    const prepared = prepare('/v1/chat/completions', body);
    const broken = await answer('/chat/completions', prepared.body, { usage: USAGE, streamError: { type: 'server_error', code: 'server_error', message: 'boom' } });
    expect(broken.body.toString()).toContain('"error"');
    expect(readChunked(prepared, broken, []).usage).toBeUndefined();
    const cut = await answer('/chat/completions', prepared.body, { usage: USAGE, cutAfter: 2 });
    expect(readChunked(prepared, cut, [], false).usage).toBeUndefined();
    for (const status of [400, 429, 500]) {
      const failed = await answer('/chat/completions', CHAT, { error: { status, type: 'server_error', code: null, message: 'no' } });
      expect([failed.status, failed.headers['x-request-id'] !== undefined]).toEqual([status, true]);
      expect(readChunked(prepare('/v1/chat/completions', CHAT), failed, []).usage).toBeUndefined();
    }
  });

  it('records the OpenRouter cost as the provider figure, bounded', async () => {
    const router = providerFor('openrouter');
    const answered = await answer('/chat/completions', CHAT, { usage: { ...USAGE, cost: 0.001234 }, id: 'gen-1' });
    expect(readChunked(prepare('/v1/chat/completions', CHAT, router), answered, []).usage).toMatchObject({ reportedCostNanos: 1_234_000, dedupKey: 'gateway:openrouter:gen-1' });
    const json = (text: string): Captured => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) });
    const hostile = readChunked(prepare('/v1/chat/completions', CHAT, router), json('{"id":"x","usage":{"prompt_tokens":1e99,"completion_tokens":"a","cost":1e300,"extra":[1]}}'), []).usage;
    expect(hostile).toMatchObject({ inputTokens: 1_000_000_000, outputTokens: 0, reportedCostNanos: 5_000_000_000_000_000 });
    expect(readChunked(prepare('/v1/chat/completions', CHAT, router), json('{"usage":{"cost":-1}}'), []).usage?.reportedCostNanos).toBeUndefined();
    expect(readChunked(prepare('/v1/chat/completions', CHAT), json('<html>'), []).usage).toBeUndefined();
  });
});

describe('openai responses usage', () => {
  it('reads JSON and the completed event of a stream, wherever it is cut', async () => {
    const json = await answer('/responses', RESPONSES, { usage: USAGE, id: 'resp_J', serviceTier: 'flex' });
    expect(readChunked(prepare('/v1/responses', RESPONSES), json, []).usage).toEqual({ model: 'gpt-5', ...BUCKETS, responseId: 'resp_J', dedupKey: 'gateway:openai:resp_J', serviceTier: 'flex' });
    const body = { ...RESPONSES, stream: true };
    const streamed = await answer('/responses', body, { usage: USAGE, id: 'resp_S', text: 'a b' });
    for (const cuts of everySplit(streamed.body.length)) {
      const { usage, passed } = readChunked(prepare('/v1/responses', body), streamed, cuts);
      expect(usage).toEqual({ model: 'gpt-5', ...BUCKETS, responseId: 'resp_S', dedupKey: 'gateway:openai:resp_S' });
      expect(passed.equals(streamed.body)).toBe(true);
    }
  });

  it('reads incomplete and failed endings, and nothing from a stream cut or broken before its end', async () => {
    const body = { ...RESPONSES, stream: true };
    for (const ending of ['incomplete', 'failed'] as const) {
      const answered = await answer('/responses', body, { usage: USAGE, ending });
      expect(answered.body.toString()).toContain(`event: response.${ending}`);
      expect(readChunked(prepare('/v1/responses', body), answered, []).usage?.outputTokens).toBe(800);
    }
    const cut = await answer('/responses', body, { usage: USAGE, cutAfter: 3 });
    expect(readChunked(prepare('/v1/responses', body), cut, [], false).usage).toBeUndefined();
    const broken = await answer('/responses', body, { usage: USAGE, streamError: { type: 'server_error', code: 'server_error', message: 'boom' } });
    expect(readChunked(prepare('/v1/responses', body), broken, []).usage).toBeUndefined();
  });
});
