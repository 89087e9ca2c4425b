import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpCapture, startOtlpCapture } from '../../../testing/otlp-capture.js';
import { exportLogs, exportMetrics } from '../../../testing/otlp-exporters.js';
import { double, fixed32, fixed64, group, len, message, varint } from '../../../testing/protobuf-bytes.js';
import { thrownAs } from '../../../testing/thrown.js';
import { decodeLogs, decodeMetrics, OtlpDecodeError } from './index.js';

/** The OtlpDecodeError `fn` throws (failing on anything else, or on no error). */
const decodeError = (fn: () => unknown): OtlpDecodeError => thrownAs(fn, OtlpDecodeError);

/** Decodes or throws OtlpDecodeError: anything else fails the test. */
function survives(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
  }
}

/** A deterministic pseudo-random sequence (xorshift32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const stringValue = (text: string) => len(1, text);
const keyValue = (key: string, value: number[]) => len(6, len(1, key), len(2, value));
/** An ExportLogsServiceRequest with one resource, one scope and the given LogRecord fields. */
const logsRequest = (...record: number[][]) => message(len(1, len(1, len(1, len(1, 'service.name'), len(2, stringValue('claude-code')))), len(2, len(1, len(1, 'scope')), len(2, ...record))));

describe('the protobuf decoder on real captures, cut and damaged', () => {
  let capture: OtlpCapture;
  let logs: Buffer;
  let metrics: Buffer;

  beforeAll(async () => {
    capture = await startOtlpCapture();
    const resource = { 'service.name': 'claude-code' };
    const scope = { name: 'com.anthropic.claude_code.events', version: '2.0.14' };
    await exportLogs({ url: `${capture.url}/v1/logs`, format: 'protobuf', resource, scope }, [
      { eventName: 'claude_code.api_request', body: 'x', attributes: { model: 'claude-sonnet-4-5', input_tokens: 12, cost_usd: 0.5, list: [1, 'a', { k: true }] } },
      { eventName: 'claude_code.tool_result', attributes: { raw: new Uint8Array([1, 2]) } },
    ]);
    logs = capture.requests.at(-1)!.body;
    const before = capture.requests.length;
    await exportMetrics({ url: `${capture.url}/v1/metrics`, format: 'protobuf', resource, scope, temporality: 'cumulative' }, (meter) => {
      meter.createCounter('tokens').add(5, { type: 'input' });
      meter.createHistogram('duration').record(3);
    });
    metrics = capture.requests[before]!.body;
  });
  afterAll(() => capture.close());

  it('a body cut at every byte is refused with the byte offset, never another error', () => {
    expect(decodeLogs(logs, 'protobuf').records).toHaveLength(2);
    expect(decodeMetrics(metrics, 'protobuf').points).toHaveLength(2);
    for (let cut = 1; cut < logs.length; cut++) expect(decodeError(() => decodeLogs(logs.subarray(0, cut), 'protobuf')).message).toMatch(/^protobuf body: .* at byte \d+$/);
    for (let cut = 1; cut < metrics.length; cut++) expect(decodeError(() => decodeMetrics(metrics.subarray(0, cut), 'protobuf')).message).toMatch(/^protobuf body: .* at byte \d+$/);
  });

  it('damaged bytes and random bodies decode or throw OtlpDecodeError, nothing else', () => {
    const next = random(14);
    for (let i = 0; i < 3000; i++) {
      const body = Buffer.from(i % 2 === 0 ? logs : metrics);
      for (let hits = 1 + Math.floor(next() * 3); hits > 0; hits--) body[Math.floor(next() * body.length)] = Math.floor(next() * 256);
      survives(() => decodeLogs(body, 'protobuf'));
      survives(() => decodeMetrics(body, 'protobuf'));
      const noise = Uint8Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256));
      survives(() => decodeLogs(noise, 'protobuf'));
      survives(() => decodeMetrics(noise, 'protobuf'));
    }
  });
});

describe('the protobuf decoder on hand-built bodies', () => {
  const known = [fixed64(1, 1764990000123456789n), len(3, 'INFO'), len(5, stringValue('hello')), keyValue('model', stringValue('m')), fixed64(11, 7n), len(12, 'claude_code.api_request')];

  it('an empty body is a request with no records', () => {
    expect(decodeLogs(new Uint8Array(0), 'protobuf')).toStrictEqual({ records: [] });
    expect(decodeMetrics(new Uint8Array(0), 'protobuf')).toStrictEqual({ points: [] });
  });

  it('skips unknown fields of every wire type, groups included, at every level', () => {
    const unknown = [varint(90, -1), fixed64(91, 5n), len(92, 'x'), fixed32(93, 7), group(94, varint(1, 1), group(2, len(3, 'y')))];
    // Fields of a LogRecord the intake does not read: severity_number, name (older protos), dropped count, flags, trace and span ids.
    const unread = [varint(2, 9), len(4, 'name'), varint(7, 0), fixed32(8, 1), len(9, 'trace'), len(10, 'span')];
    const plain = decodeLogs(logsRequest(...known), 'protobuf');
    const noisy = decodeLogs(
      message(
        ...unknown,
        len(
          1,
          ...unknown,
          len(1, ...unknown, len(1, len(1, 'service.name'), len(2, stringValue('claude-code'), ...unknown))),
          len(2, ...unknown, len(1, len(1, 'scope'), ...unknown), len(2, ...unknown, ...known, ...unread, ...unknown)),
        ),
      ),
      'protobuf',
    );
    expect(noisy).toStrictEqual(plain);
    expect(plain.records[0]).toMatchObject({ timeUnixNano: 1764990000123456789n, observedTimeUnixNano: 7n, severityText: 'INFO', body: 'hello', eventName: 'claude_code.api_request' });
  });

  it('a resource or scope after its records still reaches them, shared', () => {
    const body = message(len(1, len(2, len(2, len(12, 'a')), len(2, len(12, 'b')), len(1, len(1, 'late'), len(2, '9'))), len(1, len(1, len(1, 'service.name'), len(2, stringValue('codex'))))));
    const { records } = decodeLogs(body, 'protobuf');
    expect(records.map((r) => [r.eventName, r.scope.name, r.scope.version, r.resource['service.name']])).toStrictEqual([
      ['a', 'late', '9', 'codex'],
      ['b', 'late', '9', 'codex'],
    ]);
    expect(records[0]!.resource).toBe(records[1]!.resource);
  });

  it('int64 and fixed64 at their limits', () => {
    const ints = [-1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, 0n];
    const { records } = decodeLogs(logsRequest(fixed64(1, 2n ** 64n - 1n), ...ints.map((v, i) => keyValue(`i${i}`, varint(3, v)))), 'protobuf');
    expect(records[0]!.timeUnixNano).toBe(18446744073709551615n);
    expect(ints.map((_, i) => records[0]!.attributes[`i${i}`])).toStrictEqual(ints.map(Number));
  });

  it('a key like __proto__ is an ordinary key, and pollutes nothing', () => {
    const hostile = len(6, len(1, len(1, '__proto__'), len(2, stringValue('p'))), len(1, len(1, 'constructor'), len(2, varint(3, 1))));
    const { records } = decodeLogs(logsRequest(keyValue('__proto__', stringValue('x')), keyValue('nested', hostile)), 'protobuf');
    const attributes = records[0]!.attributes;
    expect(Object.keys(attributes)).toStrictEqual(['__proto__', 'nested']);
    const hostileKey = ['__', 'proto', '__'].join('');
    expect(Object.getOwnPropertyDescriptor(attributes, hostileKey)?.value).toBe('x');
    expect(Object.getPrototypeOf(attributes)).toBeNull();
    expect(Object.keys(attributes.nested as object)).toStrictEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('repeated and distinct short strings all decode to their own text (the cache of repeated strings)', () => {
    const next = random(7);
    const texts = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0 ? `k${i % 40}` : Array.from({ length: 1 + Math.floor(next() * 70) }, () => String.fromCharCode(97 + Math.floor(next() * 3))).join(''),
    );
    texts.push('é€😀', 'é€😀', 'x'.repeat(65), 'x'.repeat(65));
    const { records } = decodeLogs(logsRequest(...texts.map((text, i) => keyValue(`key ${i}`, stringValue(text)))), 'protobuf');
    expect(Object.values(records[0]!.attributes)).toStrictEqual(texts);
  });

  it('the last of repeated keys wins; an empty AnyValue is null', () => {
    const { records } = decodeLogs(logsRequest(keyValue('k', stringValue('1')), keyValue('k', stringValue('2')), len(6, len(1, 'none'))), 'protobuf');
    expect({ ...records[0]!.attributes }).toStrictEqual({ k: '2', none: null });
  });

  it('refuses what is not protobuf, saying what and at which byte', () => {
    expect(decodeError(() => decodeLogs(logsRequest(varint(1, 5)), 'protobuf')).message).toMatch(/^protobuf body: LogRecord.time_unix_nano \(field 1\) has wire type 0, expected 1 at byte \d+$/);
    expect(decodeError(() => decodeLogs(message([0x16]), 'protobuf')).message).toBe('protobuf body: wire type 6, which does not exist at byte 0');
    expect(decodeError(() => decodeLogs(message([0x00, 0x01]), 'protobuf')).message).toBe('protobuf body: a field numbered 0 at byte 0');
    expect(decodeError(() => decodeLogs(message([0x18, ...Array(10).fill(0xff), 0x01]), 'protobuf')).message).toBe('protobuf body: a varint longer than 10 bytes at byte 1');
    expect(decodeError(() => decodeLogs(message([0x1c]), 'protobuf')).message).toBe('protobuf body: the end of group 3, which was never started at byte 0');
    expect(decodeError(() => decodeLogs(message([0x1b, 0x08, 0x01]), 'protobuf')).message).toBe('protobuf body: group 3 not ended before the end of its message at byte 0');
    expect(decodeError(() => decodeLogs(message([0x1b, 0x24]), 'protobuf')).message).toBe('protobuf body: the end of group 4 inside group 3 at byte 1');
    expect(decodeError(() => decodeLogs(message([0x0a, 0x05, 0x01]), 'protobuf')).message).toBe('protobuf body: a field of 5 bytes running past the end of its message (byte 3) at byte 1');
    // A nested field may not run past the end of its parent, even where the body goes on.
    expect(decodeError(() => decodeLogs(message([0x0a, 0x02, 0x0a, 0x05, 0, 0, 0, 0, 0]), 'protobuf')).message).toBe(
      'protobuf body: a field of 5 bytes running past the end of its message (byte 4) at byte 3',
    );
  });

  it('refuses values and groups nested deeper than 64', () => {
    let value = stringValue('bottom');
    for (let i = 0; i < 100; i++) value = len(5, len(1, value));
    expect(decodeError(() => decodeLogs(logsRequest(len(5, value)), 'protobuf')).message).toMatch(/values nested deeper than 64/);
    let groups = varint(1, 1);
    for (let i = 0; i < 100; i++) groups = group(7, groups);
    expect(decodeError(() => decodeLogs(message(groups), 'protobuf')).message).toMatch(/groups nested deeper than 64/);
  });

  it('a number point: as_int (sfixed64) or as_double; a summary point: sum and count', () => {
    const sfixed = (field: number, value: bigint) => fixed64(field, value);
    const body = message(
      len(
        1,
        len(
          2,
          len(2, len(1, 'ints'), len(7, len(1, sfixed(6, -5n), fixed64(3, 10n)), varint(2, 2), varint(3, 1))),
          len(2, len(1, 'doubles'), len(5, len(1, double(4, 2.5)))),
          len(2, len(1, 'summary'), len(11, len(1, len(7, len(1, 'q'), len(2, stringValue('p99'))), fixed64(4, 4n), double(5, 9.5), fixed64(2, 1n), fixed64(3, 2n)))),
        ),
      ),
    );
    const points = decodeMetrics(body, 'protobuf').points;
    expect(points.map((p) => [p.metric.name, p.metric.kind, p.metric.temporality, p.metric.monotonic, p.value, p.count])).toStrictEqual([
      ['ints', 'sum', 'cumulative', true, -5, undefined],
      ['doubles', 'gauge', 'unspecified', false, 2.5, undefined],
      ['summary', 'summary', 'unspecified', false, 9.5, 4],
    ]);
    expect(points[2]).toMatchObject({ startTimeUnixNano: 1n, timeUnixNano: 2n });
    expect(points[2]!.attributes.q).toBe('p99');
  });
});
