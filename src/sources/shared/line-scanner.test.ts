import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanBufferBytes, scanLines } from './line-scanner.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-scan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scan(text: string | Buffer, from = 0, pauseAfter?: number) {
  const path = join(dir, 'f.jsonl');
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  const candidates: [string, number][] = [];
  const malformed: number[] = [];
  try {
    const result = scanLines(fd, from, 0, [Buffer.from('"usage"')], {
      candidate: (bytes, start, end, line) => {
        candidates.push([bytes.toString('utf8', start, end), line]);
        return pauseAfter !== undefined && candidates.length >= pauseAfter;
      },
      malformed: (line) => malformed.push(line),
    });
    return { result, candidates, malformed };
  } finally {
    closeSync(fd);
  }
}

describe('scanLines', () => {
  it('hands over only lines with a marker, checks the others are JSON objects, skips blank lines', () => {
    const { result, candidates, malformed } = scan('{"a":1}\n{"usage":2}\r\n\n   \nnot json\n{"b":"usage"}\n{"c":3}\n');
    expect(candidates).toEqual([
      ['{"usage":2}', 2],
      ['{"b":"usage"}', 6],
    ]);
    expect(malformed).toEqual([5]);
    expect(result).toMatchObject({ lineCount: 7, pendingBytes: 0, paused: false });
  });

  it('never consumes a last line without its newline', () => {
    const text = '{"usage":1}\n{"usage":2';
    const { result, candidates } = scan(text);
    expect(candidates.map((c) => c[0])).toEqual(['{"usage":1}']);
    expect(result).toMatchObject({ endOffset: 12, pendingBytes: text.length - 12 });
  });

  it('reads lines longer than its buffer (a pasted image can make a line of megabytes)', () => {
    const big = `{"usage":1,"content":"${'x'.repeat(3 * 1024 * 1024)}"}`;
    const { candidates, result } = scan(`{"a":1}\n${big}\n{"usage":3}\n`);
    expect(candidates.map((c) => c[0].length)).toEqual([big.length, 11]);
    expect(result.lineCount).toBe(3);
  });

  it('pauses after a line when asked, and resumes where it stopped', () => {
    const text = '{"usage":1}\n{"usage":2}\n{"usage":3}\n';
    const first = scan(text, 0, 1);
    expect(first.result).toMatchObject({ paused: true, endOffset: 12, lineCount: 1 });
    const rest = scan(text, first.result.endOffset);
    expect(rest.candidates.map((c) => c[0])).toEqual(['{"usage":2}', '{"usage":3}']);
  });

  it('gives back the memory of an outlier line once the scan is done', () => {
    const big = `{"usage":1,"text":"${'x'.repeat(50 * 1024 * 1024)}"}\n{"usage":2}\n`;
    const { candidates } = scan(big);
    expect(candidates.map(([, line]) => line)).toEqual([1, 2]);
    expect(scanBufferBytes()).toBeLessThanOrEqual(1 << 20);
  });
});
