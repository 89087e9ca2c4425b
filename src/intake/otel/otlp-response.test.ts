import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpCapture, startOtlpCapture } from '../../testing/otlp-capture.js';
import { exportLogs, exportMetrics } from '../../testing/otlp-exporters.js';
import { exportResponse, statusResponse } from './otlp-response.js';

const warnings: string[] = [];
const collect = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
const logger: DiagLogger = { error: collect, warn: collect, info: () => {}, debug: () => {}, verbose: () => {} };
const partial = { rejected: 3, message: '3 records of an agent tokenledger does not read (service.name=foo)' };
const resource = { 'service.name': 'foo' };
const scope = { name: 'test', version: '1' };

describe('exportResponse, read by the official exporters', () => {
  let capture: OtlpCapture;
  beforeAll(async () => {
    capture = await startOtlpCapture((request) => {
      const format = request.contentType.startsWith('application/json') ? 'json' : 'protobuf';
      const reply = exportResponse(request.path === '/v1/logs' ? 'logs' : 'metrics', format, partial);
      return { status: 200, ...reply };
    });
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  });
  afterAll(async () => {
    diag.disable();
    await capture.close();
  });

  for (const format of ['json', 'protobuf'] as const) {
    it(`logs, ${format}: the exporter warns of the rejected count and the reason`, async () => {
      warnings.length = 0;
      await exportLogs({ url: `${capture.url}/v1/logs`, format, resource, scope }, [{ body: 'x' }]);
      const warning = warnings.find((w) => w.includes('Partial Success'));
      expect(warning).toContain(partial.message);
      expect(warning).toMatch(/"rejectedLogRecords":"?3"?/);
    });

    it(`metrics, ${format}: the exporter warns of the rejected data points and the reason`, async () => {
      warnings.length = 0;
      await exportMetrics({ url: `${capture.url}/v1/metrics`, format, resource, scope, temporality: 'cumulative' }, (meter) => meter.createCounter('n').add(1));
      const warning = warnings.find((w) => w.includes('Partial Success'));
      expect(warning).toContain(partial.message);
      expect(warning).toMatch(/"rejectedDataPoints":"?3"?/);
    });
  }

  it('all accepted: the exporters see no partial success', async () => {
    capture.reply = (request) => ({ status: 200, ...exportResponse('logs', request.contentType.startsWith('application/json') ? 'json' : 'protobuf', undefined) });
    warnings.length = 0;
    await exportLogs({ url: `${capture.url}/v1/logs`, format: 'json', resource, scope }, [{ body: 'x' }]);
    await exportLogs({ url: `${capture.url}/v1/logs`, format: 'protobuf', resource, scope }, [{ body: 'x' }]);
    expect(warnings).toStrictEqual([]);
  });
});

describe('exportResponse bytes', () => {
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

  it('JSON: {} when all is accepted; the count as an int64 string, named per signal', () => {
    expect(exportResponse('logs', 'json', undefined)).toStrictEqual({ body: new TextEncoder().encode('{}'), contentType: 'application/json' });
    expect(text(exportResponse('logs', 'json', { rejected: 0, message: '' }).body)).toBe('{}');
    expect(text(exportResponse('logs', 'json', { rejected: 3, message: 'why' }).body)).toBe('{"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"why"}}');
    expect(text(exportResponse('metrics', 'json', { rejected: 2, message: '' }).body)).toBe('{"partialSuccess":{"rejectedDataPoints":"2"}}');
    expect(text(exportResponse('traces', 'json', { rejected: 0, message: 'a warning' }).body)).toBe('{"partialSuccess":{"errorMessage":"a warning"}}');
    expect(text(exportResponse('traces', 'json', { rejected: 1, message: 'x' }).body)).toBe('{"partialSuccess":{"rejectedSpans":"1","errorMessage":"x"}}');
  });

  it('protobuf: 0 bytes when all is accepted; else field 1 {1 rejected, 2 error_message}', () => {
    expect(exportResponse('logs', 'protobuf', undefined)).toStrictEqual({ body: new Uint8Array(0), contentType: 'application/x-protobuf' });
    expect([...exportResponse('traces', 'protobuf', { rejected: 300, message: 'ab' }).body]).toStrictEqual([0x0a, 7, 0x08, 0xac, 0x02, 0x12, 2, 0x61, 0x62]);
  });

  it('statusResponse: google.rpc.Status {1 code, 2 message}', () => {
    expect(statusResponse('json', 3, 'bad body')).toStrictEqual({ body: new TextEncoder().encode('{"code":3,"message":"bad body"}'), contentType: 'application/json' });
    expect([...statusResponse('protobuf', 14, 'é').body]).toStrictEqual([0x08, 14, 0x12, 2, 0xc3, 0xa9]);
    expect(statusResponse('protobuf', 3, '').contentType).toBe('application/x-protobuf');
  });
});
