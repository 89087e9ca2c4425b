import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';
import { LoadGenerator, quantile } from './load.js';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const client = (port: number): OpenAI => new OpenAI({ apiKey: 'sk-bench-upstream', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });

describe('the bench upstream', () => {
  it('answers Chat Completions as the OpenAI SDK expects, with usage', async () => {
    upstream = await startFakeUpstream();
    const answer = await client(upstream.port).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('Hello from the bench upstream.');
    expect(answer.usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 });
  });

  it('streams chunks the SDK reads, ending with the usage chunk when asked for it', async () => {
    upstream = await startFakeUpstream();
    const stream = await client(upstream.port).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('HelloHello');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 29 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('streams without a usage chunk when the request does not ask for one', async () => {
    upstream = await startFakeUpstream();
    const stream = await client(upstream.port).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  it('holds streams open, a chunk every tick, until they are let go', async () => {
    upstream = await startFakeUpstream();
    await upstream.hold(true);
    const stream = await client(upstream.port).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const reading = (async () => {
      const seen = [];
      for await (const chunk of stream) seen.push(chunk);
      return seen;
    })();
    expect(await upstream.openStreams()).toBe(1);
    await upstream.hold(false);
    const seen = await reading;
    expect(seen.at(-1)?.usage?.total_tokens).toBe(29);
  });

  it('gives the load generator one sample per request, and counts what is not a 200 as failed', async () => {
    upstream = await startFakeUpstream();
    const load = new LoadGenerator();
    try {
      const target = { name: 'direct', port: upstream.port, path: '/v1/chat/completions', headers: {} };
      const run = await load.run(target, { stream: true, clients: 4 }, 40);
      expect(run.samplesMs).toHaveLength(40);
      expect(quantile(run.samplesMs, 0.5)).toBeGreaterThan(0);
      expect(run.failed).toBe(0);
      const missed = await load.run({ ...target, path: '/v1/nowhere' }, { stream: false, clients: 1 }, 3);
      expect([missed.samplesMs.length, missed.failed]).toEqual([0, 3]);
      expect(missed.firstFailure).toMatch(/direct answered 404/);
      expect(load.answered(target)).toBe(40);
    } finally {
      load.close();
    }
  });
});

describe('quantile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([quantile(values, 0.5), quantile(values, 0.99), quantile(values, 1)]).toEqual([50, 99, 100]);
  });
});
