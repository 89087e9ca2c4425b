import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Captured, capture, everySplit, readChunked } from '../../../testing/fake-upstreams/capture.js';
import type { FakeServer } from '../../../testing/fake-upstreams/fake-server.js';
import { fakeGemini, type GeminiScenario } from '../../../testing/fake-upstreams/gemini.js';
import type { Prepared } from '../../provider.js';
import { providerFor } from '../index.js';
import { gemini } from './index.js';

const KEY = 'AIza-upstream';
let fake: FakeServer<GeminiScenario>;
beforeAll(async () => {
  fake = await fakeGemini(KEY);
});
afterAll(() => fake.close());

const BODY = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 2048, temperature: 0 } };

function prepare(action: string, body: unknown = BODY, model = 'gemini-2.5-pro'): Prepared {
  const prepared = gemini.route('POST', `/v1beta/models/${model}:${action}`)?.prepare?.(Buffer.from(JSON.stringify(body)));
  if (prepared === undefined || 'error' in prepared) throw new Error('not prepared');
  return prepared;
}

async function answer(action: string, scenario: GeminiScenario, query = ''): Promise<Captured> {
  fake.answer(scenario);
  return capture(`${fake.url}/v1beta/models/gemini-2.5-pro:${action}${query}`, {
    method: 'POST',
    headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(BODY),
  });
}

const USAGE = { prompt: 10_000, cached: 8_000, candidates: 300, thoughts: 1_200, toolUse: 50 };
const BUCKETS = { inputTokens: 2_050, outputTokens: 1_500, reasoningTokens: 1_200, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 8_000 };

describe('gemini routes and credentials', () => {
  it('meters generateContent and streamGenerateContent, passes countTokens and models through', () => {
    expect(providerFor('gemini')).toBe(gemini);
    expect(gemini.route('POST', '/v1beta/models/gemini-2.5-pro:generateContent')?.name).toBe('generateContent');
    expect(gemini.route('POST', '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse')?.upstreamPath).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent');
    expect(gemini.route('POST', '/v1beta/models/gemini-2.5-pro:countTokens')).toEqual({ name: 'countTokens', upstreamPath: '/v1beta/models/gemini-2.5-pro:countTokens' });
    expect(gemini.route('GET', '/v1beta/models')?.prepare).toBeUndefined();
    expect(gemini.route('GET', '/v1beta/models/gemini-2.5-pro')?.upstreamPath).toBe('/v1beta/models/gemini-2.5-pro');
    expect(gemini.route('POST', '/v1beta/models/%E0%A4%A:generateContent')).toBeUndefined();
    expect(gemini.route('POST', '/v1beta/models/x:embedContent')).toBeUndefined();
  });

  it('takes the client key from x-goog-api-key or ?key=, and strips both', () => {
    expect(gemini.clientKey({ 'x-goog-api-key': 'tl_a' }, new URLSearchParams('key=tl_b'))).toBe('tl_a');
    expect(gemini.clientKey({}, new URLSearchParams('alt=sse&key=tl_b'))).toBe('tl_b');
    expect(gemini.clientKey({}, new URLSearchParams('key='))).toBeUndefined();
    expect([gemini.credentialHeaders, gemini.credentialParams, gemini.upstreamAuth('k')]).toEqual([['x-goog-api-key', 'authorization'], ['key'], { 'x-goog-api-key': 'k' }]);
  });

  it('prepares from the path and generationConfig.maxOutputTokens', () => {
    expect(prepare('streamGenerateContent')).toMatchObject({ model: 'gemini-2.5-pro', stream: true, maxOutputTokens: 2048 });
    expect(prepare('generateContent', { contents: [] }, 'gemini-2.5-flash')).toMatchObject({ model: 'gemini-2.5-flash', stream: false, maxOutputTokens: undefined });
    expect(gemini.route('POST', '/v1beta/models/m:generateContent')?.prepare?.(Buffer.from('[]'))).toEqual({ error: 'the request body must be a JSON object' });
  });
});

describe('gemini usage', () => {
  it('reads JSON: cached out of prompt, tool-use prompt as input, thoughts as output', async () => {
    const answered = await answer('generateContent', { usage: USAGE, responseId: 'r-J', modelVersion: 'gemini-2.5-pro-preview' });
    expect(readChunked(prepare('generateContent'), answered, [5]).usage).toEqual({ model: 'gemini-2.5-pro-preview', ...BUCKETS, responseId: 'r-J', dedupKey: 'gateway:gemini:r-J' });
  });

  it('reads an SSE stream (CRLF framed) and a JSON-array stream the same wherever they are cut', async () => {
    for (const query of ['?alt=sse', '']) {
      const answered = await answer('streamGenerateContent', { usage: USAGE, responseId: 'r-S', text: 'one two' }, query);
      expect(answered.headers['content-type']).toContain(query === '' ? 'application/json' : 'text/event-stream');
      for (const cuts of everySplit(answered.body.length)) {
        const { usage, passed } = readChunked(prepare('streamGenerateContent'), answered, cuts);
        expect(usage).toEqual({ model: 'gemini-2.5-pro', ...BUCKETS, responseId: 'r-S', dedupKey: 'gateway:gemini:r-S' });
        expect(passed.equals(answered.body)).toBe(true);
      }
    }
  });

  it('keeps the last usage before a cut or an error in the stream', async () => {
    for (const query of ['?alt=sse', '']) {
      const cut = await answer('streamGenerateContent', { usage: USAGE, text: 'a b c', cutAfter: 1 }, query);
      expect(readChunked(prepare('streamGenerateContent'), cut, [], false).usage).toMatchObject({ inputTokens: 2_050, outputTokens: 1_202 });
      const broken = await answer('streamGenerateContent', { usage: USAGE, text: 'a b c', streamError: { code: 500, status: 'INTERNAL', message: 'boom' } }, query);
      expect(broken.body.toString()).toContain('"INTERNAL"');
      expect(readChunked(prepare('streamGenerateContent'), broken, []).usage?.outputTokens).toBe(1_201);
    }
  });

  it('reads no usage from error answers, and bounds or ignores hostile bodies', async () => {
    for (const [code, status] of [
      [400, 'INVALID_ARGUMENT'],
      [429, 'RESOURCE_EXHAUSTED'],
      [500, 'INTERNAL'],
      [503, 'UNAVAILABLE'],
    ] as const) {
      const failed = await answer('generateContent', { error: { code, status, message: 'no' } });
      expect([failed.status, JSON.parse(failed.body.toString()).error.status]).toEqual([code, status]);
      expect(readChunked(prepare('generateContent'), failed, []).usage).toBeUndefined();
    }
    const json = (text: string): Captured => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) });
    const huge = readChunked(
      prepare('generateContent'),
      json('{"usageMetadata":{"promptTokenCount":1e30,"toolUsePromptTokenCount":1e30,"candidatesTokenCount":1e30,"thoughtsTokenCount":5}}'),
      [],
    ).usage;
    expect([huge?.inputTokens, huge?.outputTokens]).toEqual([1_000_000_000, 1_000_000_000]);
    expect(readChunked(prepare('generateContent'), json('{"usageMetadata":"x"}'), []).usage).toBeUndefined();
    expect(readChunked(prepare('streamGenerateContent'), json('{"not":"an array"}'), []).usage).toBeUndefined();
    expect(readChunked(prepare('streamGenerateContent'), json('[{"usageMetadata":{"promptTokenCount":3}}, {broken'), [], false).usage?.inputTokens).toBe(3);
  });
});
