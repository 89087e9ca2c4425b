import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from './fake-server.js';
import { fakeOpenAi, type OpenAiScenario } from './openai.js';

const KEY = 'sk-proj-fake';
let fake: FakeServer<OpenAiScenario>;
let client: OpenAI;
beforeAll(async () => {
  fake = await fakeOpenAi(KEY);
  client = new OpenAI({ apiKey: KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(() => fake.close());

const USAGE = { prompt: 50, cached: 32, completion: 20, reasoning: 8 };
const CHAT = { model: 'gpt-5', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('the official OpenAI SDK against the fake', () => {
  it('parses a chat completion with its usage', async () => {
    fake.answer({ usage: USAGE, text: 'Hello there', serviceTier: 'priority' });
    const completion = await client.chat.completions.create(CHAT);
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    expect(completion.usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 32 }, completion_tokens_details: { reasoning_tokens: 8 } });
    expect(completion.service_tier).toBe('priority');
  });

  it('streams chat chunks, with the usage chunk only when asked', async () => {
    fake.answer({ usage: USAGE, text: 'one two' });
    const texts: string[] = [];
    let usage: unknown;
    for await (const chunk of await client.chat.completions.create({ ...CHAT, stream: true, stream_options: { include_usage: true } })) {
      texts.push(chunk.choices[0]?.delta.content ?? '');
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts.join('')).toBe('one two');
    expect(usage).toMatchObject({ prompt_tokens: 50 });
    fake.answer({ usage: USAGE, text: 'one two' });
    const final = await client.chat.completions.stream({ ...CHAT, stream: true }).finalChatCompletion();
    expect([final.choices[0]?.message.content, final.usage]).toEqual(['one two', undefined]);
  });

  it('parses responses, streamed or not', async () => {
    fake.answer({ usage: USAGE, text: 'Hello' });
    const response = await client.responses.create({ model: 'gpt-5', input: 'Hi' });
    expect([response.output_text, response.usage?.input_tokens_details.cached_tokens]).toEqual(['Hello', 32]);
    fake.answer({ usage: USAGE, text: 'a b c' });
    const stream = client.responses.stream({ model: 'gpt-5', input: 'Hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect([deltas.join(''), final.output_text, final.usage?.output_tokens_details.reasoning_tokens]).toEqual(['a b c', 'a b c', 8]);
  });

  it('raises the SDK error classes, and the error event of a stream', async () => {
    fake.answer({ error: { status: 429, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached' } });
    await expect(client.chat.completions.create(CHAT)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    fake.answer({ error: { status: 500, type: 'server_error', code: null, message: 'The server had an error' } });
    await expect(client.responses.create({ model: 'gpt-5', input: 'Hi' })).rejects.toMatchObject({ status: 500, requestID: expect.stringMatching(/^req_/) });
    await expect(new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 }).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    fake.answer({ text: 'a b', streamError: { type: 'server_error', code: 'server_error', message: 'stream broke' } });
    const consume = async (): Promise<void> => {
      for await (const _ of await client.chat.completions.create({ ...CHAT, stream: true })) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(/stream broke/);
  });

  it('lists models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-5']);
  });
});
