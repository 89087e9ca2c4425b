import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicScenario, fakeAnthropic } from './anthropic.js';
import type { FakeServer } from './fake-server.js';

const KEY = 'sk-ant-fake';
let fake: FakeServer<AnthropicScenario>;
let client: Anthropic;
beforeAll(async () => {
  fake = await fakeAnthropic(KEY);
  client = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());

const REQUEST = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hi' }] };
const USAGE = { input: 9, output: 4, cacheWrite5m: 3, cacheWrite1h: 7, cacheRead: 11 };

describe('the official Anthropic SDK against the fake', () => {
  it('parses a message with its usage, and the request carried the SDK key', async () => {
    fake.answer({ usage: USAGE, text: 'Hello there' });
    const message = await client.messages.create(REQUEST);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(message.usage).toMatchObject({
      input_tokens: 9,
      output_tokens: 4,
      cache_creation_input_tokens: 10,
      cache_read_input_tokens: 11,
      cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 7 },
    });
    expect(fake.last.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fake.last.headers['anthropic-version']).toBeDefined();
  });

  it('streams: the SDK assembles the text and the final usage', async () => {
    fake.answer({ usage: USAGE, text: 'one two three' });
    const stream = client.messages.stream(REQUEST);
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'one two three' }]);
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 4, cache_read_input_tokens: 11 });
  });

  it('raises the SDK error classes for the documented error answers', async () => {
    fake.answer({ error: { status: 429, type: 'rate_limit_error', message: 'slow down' } });
    await expect(client.messages.create(REQUEST)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    fake.answer({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } });
    await expect(client.messages.create(REQUEST)).rejects.toMatchObject({ status: 529, requestID: expect.stringMatching(/^req_/) });
    const wrong = new Anthropic({ apiKey: 'sk-wrong', baseURL: fake.url, maxRetries: 0 });
    await expect(wrong.messages.create(REQUEST)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('surfaces an error event mid-stream as an error', async () => {
    fake.answer({ usage: USAGE, text: 'one two', streamError: { type: 'overloaded_error', message: 'Overloaded' } });
    await expect(client.messages.stream(REQUEST).finalMessage()).rejects.toThrow(/Overloaded/);
  });

  it('answers count_tokens and the model list', async () => {
    fake.answer({ usage: { input: 42 } });
    expect(await client.messages.countTokens({ model: REQUEST.model, messages: REQUEST.messages })).toEqual({ input_tokens: 42 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['claude-sonnet-4-5-20250929']);
    expect((await client.models.retrieve('claude-opus-4-1')).id).toBe('claude-opus-4-1');
  });

  it('pauses a stream until released, and the SDK sees the events before the pause', async () => {
    let release = (): void => {};
    fake.answer({ usage: USAGE, text: 'a b c', pauseAfter: 3, resume: new Promise((resolve) => (release = resolve)) });
    const paused = fake.paused();
    const stream = client.messages.stream(REQUEST);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    await paused;
    release();
    await stream.finalMessage();
    expect(texts.join('')).toBe('a b c');
  });
});
