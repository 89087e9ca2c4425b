import { describe, expect, it } from 'vitest';
import type { RecordSink } from '../../core/source.js';
import { ClaudeLineReader, type ClaudeLine } from './line.js';

const sink: RecordSink = { usage: () => undefined, rateLimits: () => undefined, drop: () => undefined };

/** The fields the reader reads from the line at the start of `buf`. */
function fieldsOf(reader: ClaudeLineReader, buf: Buffer, end: number): ClaudeLine[] {
  const lines: ClaudeLine[] = [];
  reader.each(buf, 0, end, sink, (line) => lines.push(line));
  return lines;
}

/** An assistant line as Claude Code writes it: plain text, no escapes anywhere. */
function assistantLine(): Buffer {
  const line = {
    parentUuid: 'a1b2c3d4-0000-4000-a000-000000000001',
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/src/app',
    sessionId: '6f1c2d3e-0000-4000-a000-000000000002',
    version: '2.0.31',
    gitBranch: 'main',
    message: {
      id: 'msg_01ABCDEFGHIJKLMNOPQRSTUV',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'plain words without any escape '.repeat(40) }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, cache_creation_input_tokens: 500, cache_read_input_tokens: 20_000, output_tokens: 120, service_tier: 'standard' },
    },
    requestId: 'req_011CABCDEFGHIJKLMNOPQR',
    type: 'assistant',
    uuid: 'a1b2c3d4-0000-4000-a000-000000000003',
    timestamp: '2025-11-01T10:00:00.000Z',
  };
  return Buffer.from(JSON.stringify(line));
}

/** The line at the start of a buffer of `size` bytes whose rest is text without a backslash. */
function inside(line: Buffer, size: number): Buffer {
  const buf = Buffer.alloc(size, 0x61);
  line.copy(buf, 0);
  buf[line.length] = 0x0a;
  return buf;
}

/** The fastest of several rounds of `reads` reads of the line (the least disturbed by the machine). */
function fastestRound(buf: Buffer, end: number, reads: number): number {
  const reader = new ClaudeLineReader();
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) fieldsOf(reader, buf, end);
    best = Math.min(best, Number(process.hrtime.bigint() - started));
  }
  return best;
}

describe('reading a transcript line', () => {
  it('reads the same fields from a line inside a 64 KB buffer and inside a 16 MB one', () => {
    const line = assistantLine();
    const small = inside(line, 64 * 1024);
    const large = inside(line, 16 * 1024 * 1024);
    const a = fieldsOf(new ClaudeLineReader(), small, line.length);
    const b = fieldsOf(new ClaudeLineReader(), large, line.length);
    expect(b).toEqual(a);
    expect(a.map((l) => l.message?.id)).toEqual(['msg_01ABCDEFGHIJKLMNOPQRSTUV']);
  });

  it('costs the same whatever the size of the buffer around the line (no search runs past the line)', () => {
    // A search that runs on to the end of the buffer makes every string of the line cost 16 MB
    // instead of 64 KB: hundreds of times slower. The bound leaves room for a noisy machine.
    const line = assistantLine();
    const small = fastestRound(inside(line, 64 * 1024), line.length, 200);
    const large = fastestRound(inside(line, 16 * 1024 * 1024), line.length, 200);
    expect(large / small).toBeLessThan(4);
  });
});
