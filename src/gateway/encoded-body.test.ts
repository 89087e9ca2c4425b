import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readChunked } from '../testing/fake-upstreams/capture.js';
import type { Prepared } from './provider.js';
import { anthropic } from './providers/anthropic/index.js';
import { openai } from './providers/openai/index.js';

function prepare(provider: typeof anthropic, path: string, body: unknown): Prepared {
  const prepared = provider.route('POST', path)?.prepare?.(Buffer.from(JSON.stringify(body)));
  if (prepared === undefined || 'error' in prepared) throw new Error('not prepared');
  return prepared;
}

const MESSAGE = Buffer.from('{"id":"msg_z","model":"claude-x","usage":{"input_tokens":3,"output_tokens":4}}');
const STREAM = Buffer.from(
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_z","model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}}\n\nevent: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":9}}\n\n',
);

describe('compressed answers', () => {
  const request = { model: 'claude-x', max_tokens: 10 };

  it('reads gzip and brotli JSON at the end and passes the bytes unchanged', () => {
    for (const [encoding, bytes] of [
      ['gzip', gzipSync(MESSAGE)],
      ['br', brotliCompressSync(MESSAGE)],
    ] as const) {
      const { usage, passed } = readChunked(
        prepare(anthropic, '/v1/messages', request),
        { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: bytes },
        [3],
      );
      expect([usage?.inputTokens, usage?.outputTokens, passed.equals(bytes)]).toEqual([3, 4, true]);
    }
  });

  it('reads a gzip stream, even cut, and yields nothing for an unknown encoding or bad bytes', () => {
    const headers = { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' };
    const zipped = gzipSync(STREAM);
    expect(readChunked(prepare(anthropic, '/v1/messages', request), { status: 200, headers, body: zipped }, [5, 9]).usage?.outputTokens).toBe(9);
    const cut = zipped.subarray(0, zipped.length - 20);
    expect(readChunked(prepare(anthropic, '/v1/messages', request), { status: 200, headers, body: cut }, [], false).usage?.inputTokens).toBe(3);
    expect(readChunked(prepare(anthropic, '/v1/messages', request), { status: 200, headers: { ...headers, 'content-encoding': 'zstd' }, body: zipped }, []).usage).toBeUndefined();
    expect(readChunked(prepare(anthropic, '/v1/messages', request), { status: 200, headers, body: Buffer.from('not gzip') }, []).usage).toBeUndefined();
  });

  it('leaves a compressed chat stream whole (nothing can be removed from it) and still reads its usage', () => {
    const chat = Buffer.from(
      'data: {"id":"c1","choices":[{"delta":{"content":"x"}}],"usage":null}\n\ndata: {"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\ndata: [DONE]\n\n',
    );
    const zipped = gzipSync(chat);
    const { usage, passed } = readChunked(
      prepare(openai, '/v1/chat/completions', { model: 'gpt-5', stream: true }),
      { status: 200, headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }, body: zipped },
      [7],
    );
    expect([usage?.inputTokens, usage?.outputTokens, passed.equals(zipped)]).toEqual([5, 2, true]);
  });
});
