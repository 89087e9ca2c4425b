import { GoogleGenAI } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { fakeGemini, type GeminiScenario } from '../testing/fake-upstreams/gemini.js';
import { GatewayRig } from '../testing/gateway-rig.js';

const UPSTREAM_KEY = 'AIza-upstream-credential';

let fake: FakeServer<GeminiScenario>;
let rig: GatewayRig;

afterEach(async () => {
  await rig?.close();
  await fake?.close();
});

async function start(defaults: GeminiScenario): Promise<void> {
  fake = await fakeGemini(UPSTREAM_KEY, defaults);
  rig = await GatewayRig.start({ config: { upstreams: { gemini: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } } }, keys: [{ name: 'gem', budgetUsd: 10 }] });
}

const client = (): GoogleGenAI => new GoogleGenAI({ apiKey: rig.secret('gem'), httpOptions: { baseUrl: rig.url } });

describe('gateway in front of the Gemini API, with the official SDK', () => {
  it('meters generateContent on the bare /v1beta path: cached apart from input, thoughts inside output', async () => {
    await start({ usage: { prompt: 900, cached: 300, candidates: 50, thoughts: 25 } });
    const answer = await client().models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' });
    expect(answer.text).toBe('Hello from the fake.');
    const [event] = await rig.events('gem');
    expect(event).toMatchObject({ provider: 'google', model: 'gemini-2.5-pro', inputTokens: 600, cacheReadTokens: 300, outputTokens: 75, reasoningTokens: 25 });
    expect(fake.last.headers['x-goog-api-key']).toBe(UPSTREAM_KEY);
    expect(fake.last.query.get('key')).toBeNull();
    expect(JSON.stringify(fake.last.headers)).not.toContain(rig.secret('gem'));
  });

  it('meters streamGenerateContent from its last usageMetadata', async () => {
    await start({ usage: { prompt: 40, candidates: 60 }, text: 'one two three' });
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('one two three');
    expect(await rig.events('gem')).toMatchObject([{ model: 'gemini-2.5-flash', inputTokens: 40, outputTokens: 60 }]);
  });

  it('takes the gateway key from ?key= and never forwards it', async () => {
    await start({ usage: { prompt: 3, candidates: 4 } });
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    const response = await fetch(`${rig.url}/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=${rig.secret('gem')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(fake.last.query.has('key')).toBe(false);
    expect(fake.last.headers['x-goog-api-key']).toBe(UPSTREAM_KEY);
    expect(await rig.events('gem')).toHaveLength(1);
    const refused = await fetch(`${rig.url}/v1beta/models/gemini-2.5-flash:generateContent?key=wrong`, { method: 'POST', body });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });
});
