import { describe, expect, it } from 'vitest';
import { type SseEvent, SseSplitter } from './sse-lines.js';

function split(text: string, cuts: number[], wants?: (type: string) => boolean, max?: number): SseEvent[] {
  const bytes = Buffer.from(text);
  const splitter = new SseSplitter(wants, max);
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.push(bytes.subarray(from, cut), (e) => events.push(e));
    from = cut;
  }
  return events;
}

const STREAM = 'event: a\ndata: {"x":"é"}\n\n: comment\r\nevent: b\r\ndata: one\r\ndata:two\r\n\r\ndata: plain\r\r\nid: 7\n\n';

describe('SseSplitter', () => {
  const whole = split(STREAM, []);

  it('splits events, joining data lines and naming untyped events message', () => {
    expect(whole.map((e) => [e.type, e.data])).toEqual([
      ['a', '{"x":"é"}'],
      ['b', 'one\ntwo'],
      ['message', 'plain'],
    ]);
    expect(whole.map((e) => [e.start, e.end])).toEqual([
      [0, 27],
      [38, 71],
      [71, 85],
    ]);
  });

  it('gives the same events wherever the stream is cut, even inside a character or a CRLF', () => {
    const length = Buffer.byteLength(STREAM);
    for (let i = 1; i < length; i++) expect(split(STREAM, [i])).toEqual(whole);
    expect(
      split(
        STREAM,
        Array.from({ length: length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(whole);
  });

  it('does not decode the data of unwanted events', () => {
    expect(split(STREAM, [], (type) => type === 'b').map((e) => e.data)).toEqual(['', 'one\ntwo', '']);
  });

  it('drops the data of an oversized event, in one chunk or across many', () => {
    const text = `data: ${'x'.repeat(100)}\n\ndata: ok\n\n`;
    for (const cuts of [[], [10, 50, 90]]) {
      expect(split(text, cuts, undefined, 50).map((e) => [e.data, e.oversized])).toEqual([
        ['', true],
        ['ok', false],
      ]);
    }
  });

  it('reports how far whole events reach', () => {
    const splitter = new SseSplitter();
    splitter.push(Buffer.from('data: 1\n\ndata: 2'), () => {});
    expect(splitter.boundary).toBe(9);
  });
});
