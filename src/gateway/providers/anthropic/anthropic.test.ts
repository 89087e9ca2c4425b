import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeMessageKey } from '../../../core/claude-message-key.js';
import { type AnthropicScenario, fakeAnthropic } from '../../../testing/fake-upstreams/anthropic.js';
import { type Captured, capture, everySplit, readChunked } from '../../../testing/fake-upstreams/capture.js';
import type { FakeServer } from '../../../testing/fake-upstreams/fake-server.js';
import type { Prepared, PrepareError } from '../../provider.js';
import { anthropic } from './index.js';

const KEY = 'sk-ant-upstream';
let fake: FakeServer<AnthropicScenario>;
beforeAll(async () => {
  fake = await fakeAnthropic(KEY);
});
afterAll(() => fake.close());

function prepare(body: Record<string, unknown>): Prepared {
  const prepared = anthropic.route('POST', '/v1/messages')?.prepare?.(Buffer.from(JSON.stringify(body)));
  if (prepared === undefined || 'error' in prepared) throw new Error('not prepared');
  return prepared;
}

function prepareText(text: string): Prepared | PrepareError {
  const operation = anthropic.route('POST', '/v1/messages');
  if (operation?.prepare === undefined) throw new Error('not metered');
  return operation.prepare(Buffer.from(text));
}

const REQUEST = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };

async function answer(scenario: AnthropicScenario, stream: boolean): Promise<Captured> {
  fake.answer(scenario);
  return capture(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ ...REQUEST, stream }),
  });
}

const USAGE = { input: 12, output: 340, thinking: 200, cacheWrite5m: 100, cacheWrite1h: 2000, cacheRead: 30_000 };
const BUCKETS = { inputTokens: 12, outputTokens: 340, reasoningTokens: 200, cacheWrite5mTokens: 100, cacheWrite1hTokens: 2000, cacheReadTokens: 30_000 };

describe('anthropic routes and credentials', () => {
  it('meters messages and passes count_tokens and models through', () => {
    expect(anthropic.route('POST', '/v1/messages')?.prepare).toBeDefined();
    expect(anthropic.route('POST', '/v1/messages?beta=true')?.name).toBe('messages');
    for (const [method, path, upstream] of [
      ['POST', '/v1/messages/count_tokens', '/v1/messages/count_tokens'],
      ['GET', '/v1/models', '/v1/models'],
      ['GET', '/v1/models/claude-opus-4-1', '/v1/models/claude-opus-4-1'],
    ] as const) {
      const operation = anthropic.route(method, path);
      expect([operation?.upstreamPath, operation?.prepare]).toEqual([upstream, undefined]);
    }
    expect(anthropic.route('GET', '/v1/messages')).toBeUndefined();
    expect(anthropic.route('POST', '/v1/complete')).toBeUndefined();
  });

  it('takes the client key from x-api-key or a bearer token, and sends the upstream key as x-api-key', () => {
    const none = new URLSearchParams();
    expect(anthropic.clientKey({ 'x-api-key': 'tl_a' }, none)).toBe('tl_a');
    expect(anthropic.clientKey({ authorization: 'Bearer tl_b' }, none)).toBe('tl_b');
    expect(anthropic.clientKey({}, none)).toBeUndefined();
    expect(anthropic.upstreamAuth('sk')).toEqual({ 'x-api-key': 'sk' });
    expect(anthropic.credentialHeaders).toEqual(['x-api-key', 'authorization']);
  });
});

describe('anthropic request preparation', () => {
  it('reads model, stream, max_tokens and fast mode, keeping the body as is', () => {
    const body = Buffer.from(JSON.stringify({ ...REQUEST, stream: true, speed: 'fast', metadata: { user_id: 'u' } }));
    const prepared = anthropic.route('POST', '/v1/messages')?.prepare?.(body) as Prepared;
    expect([prepared.model, prepared.stream, prepared.maxOutputTokens, prepared.serviceTier, prepared.body === body]).toEqual(['claude-sonnet-4-5', true, 1024, 'fast', true]);
  });

  it('refuses a body that is not JSON or names no model, without echoing it', () => {
    const broken = prepareText('{"model": "x", "secret-sk-ant-123"');
    expect(broken).toEqual({ error: expect.stringContaining('not valid JSON') });
    expect(JSON.stringify(broken)).not.toContain('secret');
    expect(prepareText('[1]')).toEqual({ error: 'the request body must be a JSON object' });
    expect(prepareText('{"max_tokens":5}')).toEqual({ error: 'the request names no model' });
    expect((prepareText('{"model":"m","max_tokens":-3}') as Prepared).maxOutputTokens).toBeUndefined();
  });
});

describe('anthropic usage', () => {
  it('reads a JSON message: buckets with the 1h split, model, id and the claude-code dedup key', async () => {
    const answered = await answer({ usage: USAGE, messageId: 'msg_01J', requestId: 'req_011J' }, false);
    const { usage } = readChunked(prepare(REQUEST), answered, [7]);
    expect(usage).toEqual({ model: 'claude-sonnet-4-5', ...BUCKETS, responseId: 'msg_01J', dedupKey: claudeMessageKey('msg_01J', 'req_011J') });
    expect(usage?.dedupKey).toBe('claude-code:msg_01J:req_011J');
  });

  it('counts every cache write as 5m when the split is absent, and reads fast mode', async () => {
    const answered = await answer({ usage: { ...USAGE, split: false, speed: 'fast' } }, false);
    const { usage } = readChunked(prepare(REQUEST), answered, []);
    expect([usage?.cacheWrite5mTokens, usage?.cacheWrite1hTokens, usage?.serviceTier]).toEqual([2100, 0, 'fast']);
  });

  it('reads a stream the same wherever it is cut, and passes every byte on', async () => {
    const answered = await answer({ usage: USAGE, messageId: 'msg_01S', requestId: 'req_011S', text: 'one two' }, true);
    expect(answered.headers['content-type']).toContain('text/event-stream');
    const expected = { model: 'claude-sonnet-4-5', ...BUCKETS, responseId: 'msg_01S', dedupKey: 'claude-code:msg_01S:req_011S' };
    for (const cuts of everySplit(answered.body.length)) {
      const { usage, passed } = readChunked(prepare({ ...REQUEST, stream: true }), answered, cuts);
      expect(usage).toEqual(expected);
      expect(passed.equals(answered.body)).toBe(true);
    }
  });

  it('overwrites with the last message_delta usage, never adds', () => {
    const stream = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":5,"output_tokens":1,"cache_creation_input_tokens":10,"cache_creation":{"ephemeral_5m_input_tokens":4,"ephemeral_1h_input_tokens":6}}}}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":20}}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":50,"input_tokens":7,"unknown_field":{"a":1}}}\n\n',
    ].join('');
    const { usage } = readChunked(prepare(REQUEST), { status: 200, headers: { 'content-type': 'text/event-stream' }, body: Buffer.from(stream) }, []);
    expect(usage).toMatchObject({ model: 'claude-x', inputTokens: 7, outputTokens: 50, cacheWrite5mTokens: 4, cacheWrite1hTokens: 6, dedupKey: 'claude-code:msg_1' });
  });

  it('keeps the usage read before an error event mid-stream', async () => {
    const answered = await answer({ usage: USAGE, streamError: { type: 'overloaded_error', message: 'Overloaded' } }, true);
    expect(answered.body.toString()).toContain('event: error');
    const { usage } = readChunked(prepare(REQUEST), answered, []);
    expect([usage?.inputTokens, usage?.cacheWrite1hTokens, usage?.outputTokens]).toEqual([12, 2000, 1]);
  });

  it('reads what a cut stream reported, and nothing when it was cut before message_start', async () => {
    const answered = await answer({ usage: USAGE, cutAfter: 3 }, true);
    expect(answered.body.toString()).not.toContain('message_stop');
    expect(readChunked(prepare(REQUEST), answered, [], false).usage?.inputTokens).toBe(12);
    expect(readChunked(prepare(REQUEST), { ...answered, body: answered.body.subarray(0, 30) }, [], false).usage).toBeUndefined();
  });

  it('reads no usage from error answers', async () => {
    for (const [status, type] of [
      [400, 'invalid_request_error'],
      [429, 'rate_limit_error'],
      [500, 'api_error'],
      [529, 'overloaded_error'],
    ] as const) {
      const answered = await answer({ error: { status, type, message: 'no' } }, false);
      expect([answered.status, answered.headers['request-id'] !== undefined]).toEqual([status, true]);
      expect(JSON.parse(answered.body.toString())).toMatchObject({ type: 'error', error: { type } });
      expect(readChunked(prepare(REQUEST), answered, []).usage).toBeUndefined();
    }
  });

  it('bounds hostile figures and never throws on what it cannot read', () => {
    const json = (body: string): Captured => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });
    const huge = readChunked(prepare(REQUEST), json('{"id":"msg_h","model":"m","usage":{"input_tokens":1e300,"output_tokens":-5,"cache_read_input_tokens":"9"}}'), []).usage;
    expect([huge?.inputTokens, huge?.outputTokens, huge?.cacheReadTokens]).toEqual([1_000_000_000, 0, 0]);
    expect(readChunked(prepare(REQUEST), json('not json'), []).usage).toBeUndefined();
    expect(readChunked(prepare(REQUEST), json('{"usage":null}'), []).usage).toBeUndefined();
    const sse = (body: string): Captured => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: Buffer.from(body) });
    expect(readChunked(prepare(REQUEST), sse('event: message_start\ndata: {oops\n\n'), []).usage).toBeUndefined();
    expect(readChunked(prepare(REQUEST), sse('event: message_start\ndata: {"type":"message_start","message":[]}\n\n'), []).usage).toBeUndefined();
  });
});

describe('anthropic paths that are no route', () => {
  it('refuses dot segments, encoded slashes and backslashes', () => {
    for (const path of ['/v1/models/..', '/v1/models/%2E%2e', '/v1/models/a%2Fb', '/v1/models/a\\b', '/v1/messages/.'])
      expect(anthropic.route('GET', path) ?? anthropic.route('POST', path)).toBeUndefined();
  });

  it('reads a stream whose events are named only in their data', () => {
    const body = Buffer.from('data: {"type":"message_start","message":{"id":"msg_u","usage":{"input_tokens":2}}}\n\ndata: {"type":"message_delta","usage":{"output_tokens":6}}\n\n');
    const prepared = anthropic.route('POST', '/v1/messages')?.prepare?.(Buffer.from('{"model":"m"}')) as Prepared;
    expect(readChunked(prepared, { status: 200, headers: { 'content-type': 'text/event-stream' }, body }, []).usage).toMatchObject({ model: 'm', inputTokens: 2, outputTokens: 6 });
  });
});
