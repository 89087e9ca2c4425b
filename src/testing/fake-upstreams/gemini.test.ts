import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from './fake-server.js';
import { fakeGemini, type GeminiScenario } from './gemini.js';

const KEY = 'AIza-fake';
let fake: FakeServer<GeminiScenario>;
let client: GoogleGenAI;
beforeAll(async () => {
  fake = await fakeGemini(KEY);
  client = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fake.url } });
});
afterAll(() => fake.close());

const USAGE = { prompt: 40, cached: 16, candidates: 9, thoughts: 30, toolUse: 2 };

describe('the official Gemini SDK against the fake', () => {
  it('parses generateContent with its usage metadata', async () => {
    fake.answer({ usage: USAGE, text: 'Hello there', responseId: 'r1' });
    const response = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi', config: { maxOutputTokens: 64 } });
    expect([response.text, response.responseId, response.modelVersion]).toEqual(['Hello there', 'r1', 'gemini-2.5-flash']);
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 40, cachedContentTokenCount: 16, candidatesTokenCount: 9, thoughtsTokenCount: 30, toolUsePromptTokenCount: 2 });
    expect([fake.last.headers['x-goog-api-key'], fake.last.query.get('key')]).toEqual([KEY, null]);
  });

  it('streams over SSE: text in pieces, cumulative usage', async () => {
    fake.answer({ usage: USAGE, text: 'one two three' });
    const texts: string[] = [];
    let last: unknown;
    for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })) {
      texts.push(chunk.text ?? '');
      last = chunk.usageMetadata;
    }
    expect(fake.last.query.get('alt')).toBe('sse');
    expect(texts.join('')).toBe('one two three');
    expect(last).toMatchObject({ candidatesTokenCount: 9, thoughtsTokenCount: 30 });
  });

  it('raises ApiError with the status of error answers and of an error in the stream', async () => {
    fake.answer({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } });
    await expect(client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' })).rejects.toMatchObject({ status: 429 });
    const wrong = new GoogleGenAI({ apiKey: 'AIza-wrong', httpOptions: { baseUrl: fake.url } });
    await expect(wrong.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' })).rejects.toBeInstanceOf(ApiError);
    fake.answer({ usage: USAGE, text: 'a b', streamError: { code: 500, status: 'INTERNAL', message: 'broke' } });
    const consume = async (): Promise<void> => {
      for await (const _ of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' })) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow(/broke/);
  });

  it('counts tokens and lists models', async () => {
    fake.answer({ usage: { prompt: 77 } });
    expect((await client.models.countTokens({ model: 'gemini-2.5-flash', contents: 'Hi' })).totalTokens).toBe(77);
    const names: string[] = [];
    for await (const model of await client.models.list()) names.push(model.name ?? '');
    expect(names).toEqual(['models/gemini-2.5-flash']);
  });
});
