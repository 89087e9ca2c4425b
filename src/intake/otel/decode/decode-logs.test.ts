import type { LogRecord } from '@opentelemetry/api-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpCapture, startOtlpCapture } from '../../../testing/otlp-capture.js';
import { type ExporterFormat, exportLogs } from '../../../testing/otlp-exporters.js';
import type { AnyValue, Attributes } from '../otlp-record.js';
import { decodeLogs } from './index.js';

/** Attributes as the decoders build them: a null prototype. */
function attrs(values: Record<string, AnyValue>): Attributes {
  return Object.assign(Object.create(null) as Attributes, values);
}

const RESOURCE = { 'service.name': 'claude-code', 'service.version': '2.0.14', 'host.arch': 'arm64', 'process.pid': 4242 };
const SCOPE = { name: 'com.anthropic.claude_code.events', version: '2.0.14' };

const RECORDS: LogRecord[] = [
  {
    eventName: 'claude_code.api_request',
    timestamp: [1764990000, 123456789],
    observedTimestamp: [1764990001, 5],
    severityNumber: 9,
    severityText: 'INFO',
    body: 'claude_code.api_request',
    attributes: {
      'event.name': 'api_request',
      'session.id': '6f1c2c55-3a0b-4d8e-9a51-0c1d2e3f4a5b',
      model: 'claude-sonnet-4-5',
      input_tokens: 1234,
      cost_usd: 0.012345,
      'event.sequence': 0,
      negative: -42,
      big: 2 ** 60,
      cached: true,
      tools: ['Read', 'Edit'],
      usage: { cache: { read: 7, created: 'no' }, list: [1, 2.5] },
      raw: new Uint8Array([0, 1, 2, 254, 255]),
      empty: '',
    },
  },
  {
    timestamp: [1764990002, 0],
    observedTimestamp: [1764990002, 999999999],
    body: { message: 'kvlist body', n: 3 },
    attributes: { 'event.name': 'user_prompt' },
  },
];

const EXPECTED_RESOURCE = attrs({ 'service.name': 'claude-code', 'service.version': '2.0.14', 'host.arch': 'arm64', 'process.pid': 4242 });

describe('decodeLogs reads what the official log exporters send', () => {
  let capture: OtlpCapture;
  const bodies = new Map<ExporterFormat, Buffer>();

  beforeAll(async () => {
    capture = await startOtlpCapture();
    for (const format of ['json', 'protobuf'] as const) {
      await exportLogs({ url: `${capture.url}/v1/logs`, format, resource: RESOURCE, scope: SCOPE }, RECORDS);
      const request = capture.requests.at(-1)!;
      expect(request.path).toBe('/v1/logs');
      expect(request.contentType).toBe(format === 'json' ? 'application/json' : 'application/x-protobuf');
      bodies.set(format, request.body);
    }
  });
  afterAll(() => capture.close());

  for (const format of ['json', 'protobuf'] as const) {
    it(`${format}: every field, exactly`, () => {
      const { records } = decodeLogs(bodies.get(format)!, format);
      expect(records).toHaveLength(2);
      const [first, second] = records as [(typeof records)[0], (typeof records)[0]];
      expect(first.resource).toStrictEqual(EXPECTED_RESOURCE);
      expect(first.scope).toStrictEqual(SCOPE);
      expect(first.timeUnixNano).toBe(1764990000123456789n);
      expect(first.observedTimeUnixNano).toBe(1764990001000000005n);
      expect(first.eventName).toBe('claude_code.api_request');
      expect(first.severityText).toBe('INFO');
      expect(first.body).toBe('claude_code.api_request');
      expect(first.attributes).toStrictEqual(
        attrs({
          'event.name': 'api_request',
          'session.id': '6f1c2c55-3a0b-4d8e-9a51-0c1d2e3f4a5b',
          model: 'claude-sonnet-4-5',
          input_tokens: 1234,
          cost_usd: 0.012345,
          'event.sequence': 0,
          negative: -42,
          big: 2 ** 60,
          cached: true,
          tools: ['Read', 'Edit'],
          usage: attrs({ cache: attrs({ read: 7, created: 'no' }), list: [1, 2.5] }),
          raw: Buffer.from([0, 1, 2, 254, 255]).toString('base64'),
          empty: '',
        }),
      );
      expect(Object.getPrototypeOf(first.attributes)).toBeNull();
      expect(Object.getPrototypeOf(first.resource)).toBeNull();

      expect(second.timeUnixNano).toBe(1764990002000000000n);
      expect(second.observedTimeUnixNano).toBe(1764990002999999999n);
      expect(second.eventName).toBe('');
      expect(second.severityText).toBe('');
      expect(second.body).toStrictEqual(attrs({ message: 'kvlist body', n: 3 }));
      expect(second.attributes).toStrictEqual(attrs({ 'event.name': 'user_prompt' }));
      // One resource object and one scope object for the records that share them.
      expect(second.resource).toBe(first.resource);
      expect(second.scope).toBe(first.scope);
    });
  }

  it('JSON and protobuf decode to the same records', () => {
    expect(decodeLogs(bodies.get('json')!, 'json')).toStrictEqual(decodeLogs(bodies.get('protobuf')!, 'protobuf'));
  });

  it('512 records of a batch, in order, in both encodings', async () => {
    const many: LogRecord[] = Array.from({ length: 512 }, (_, i) => ({
      timestamp: [1764990000, i],
      observedTimestamp: [1764990001, i],
      eventName: 'claude_code.api_request',
      attributes: { 'event.sequence': i },
    }));
    const decoded = [];
    for (const format of ['json', 'protobuf'] as const) {
      await exportLogs({ url: `${capture.url}/v1/logs`, format, resource: RESOURCE, scope: SCOPE }, many);
      decoded.push(decodeLogs(capture.requests.at(-1)!.body, format));
    }
    expect(decoded[0]!.records.map((r) => r.attributes['event.sequence'])).toStrictEqual(many.map((_, i) => i));
    expect(decoded[0]).toStrictEqual(decoded[1]);
  });
});
