import { describe, expect, it } from 'vitest';
import { fixed64, len, message, varint } from '../../../testing/protobuf-bytes.js';
import { thrownAs } from '../../../testing/thrown.js';
import { decodeLogs, decodeMetrics, OtlpDecodeError } from './index.js';

/** The OtlpDecodeError `fn` throws (failing on anything else, or on no error). */
const decodeError = (fn: () => unknown): OtlpDecodeError => thrownAs(fn, OtlpDecodeError);

const json = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const record = (fields: Record<string, unknown>) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [fields] }] }] });
const logsError = (value: unknown) => decodeError(() => decodeLogs(json(value), 'json')).message;

describe('the OTLP/JSON decoder', () => {
  it('refuses a body that is not JSON, or not an object', () => {
    expect(logsError('{"resourceLogs": [')).toMatch(/^JSON body: /);
    expect(logsError('')).toMatch(/^JSON body: /);
    expect(logsError([])).toBe('JSON body: expected an object at the top level');
    expect(logsError('null')).toBe('JSON body: expected an object at the top level');
  });

  it('a field of the wrong type is refused with its JSON path', () => {
    const scopeLogs = [{}, { logRecords: [{}, {}, {}, { timeUnixNano: true }] }];
    expect(logsError({ resourceLogs: [{ scopeLogs }] })).toBe('resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano: expected an unsigned 64-bit integer (a decimal string or a number), got true');
    expect(
      logsError(
        record({
          attributes: [
            { key: 'a', value: { stringValue: 'x' } },
            { key: 'b', value: { intValue: '1.5' } },
          ],
        }),
      ),
    ).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].attributes[1].value.intValue: expected a 64-bit integer (a decimal string or a number), got "1.5"');
    expect(logsError(record({ body: { kvlistValue: { values: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: 'yes' }] } } }] } } }))).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[0].body.kvlistValue.values[0].value.arrayValue.values[0].boolValue: expected true or false, got "yes"',
    );
    expect(logsError(record({ body: 'text' }))).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].body: expected an AnyValue object');
    expect(logsError(record({ attributes: [{ key: 'a', value: 'x' }] }))).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value: expected an AnyValue object');
    expect(logsError({ resourceLogs: [{ resource: { attributes: [{ key: 5 }] } }] })).toBe('resourceLogs[0].resource.attributes[0].key: expected a string, got 5');
    expect(logsError({ resourceLogs: [{ scopeLogs: [{ scope: { name: ['x'] } }] }] })).toBe('resourceLogs[0].scopeLogs[0].scope.name: expected a string, got an array');
    expect(logsError({ resourceLogs: [{ scopeLogs: [{ logRecords: [5] }] }] })).toBe('resourceLogs[0].scopeLogs[0].logRecords[0]: expected an object, got 5');
    expect(logsError({ resourceLogs: {} })).toBe('resourceLogs: expected an array, got an object');
    expect(logsError(record({ eventName: 7 }))).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].eventName: expected a string, got 7');
    expect(logsError(record({ attributes: [{ key: 'b', value: { bytesValue: 'not base64!' } }] }))).toMatch(/attributes\[0\]\.value\.bytesValue: expected base64 text/);
    const metric = (fields: Record<string, unknown>) => ({ resourceMetrics: [{ scopeMetrics: [{ metrics: [fields] }] }] });
    const metricsError = (value: unknown) => decodeError(() => decodeMetrics(json(value), 'json')).message;
    expect(metricsError(metric({ name: 'n', sum: { dataPoints: [{ asInt: 'many' }] } }))).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asInt: expected a 64-bit integer (a decimal string or a number), got "many"',
    );
    expect(metricsError(metric({ histogram: { dataPoints: [{ count: '-1' }] } }))).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].count: expected an unsigned 64-bit integer (a decimal string or a number), got "-1"',
    );
    expect(metricsError(metric({ sum: { aggregationTemporality: 'SOMETIMES' } }))).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality: expected an enum number, got "SOMETIMES"',
    );
  });

  it('int64 as decimal strings or numbers, up to their limits', () => {
    const { records } = decodeLogs(
      json(
        record({
          timeUnixNano: '18446744073709551615',
          observedTimeUnixNano: 1764990000000000000,
          attributes: [
            { key: 'max', value: { intValue: '9223372036854775807' } },
            { key: 'min', value: { intValue: '-9223372036854775808' } },
            { key: 'past53', value: { intValue: '9007199254740993' } },
            { key: 'number', value: { intValue: 12 } },
          ],
        }),
      ),
      'json',
    );
    expect(records[0]!.timeUnixNano).toBe(18446744073709551615n);
    expect(records[0]!.observedTimeUnixNano).toBe(1764990000000000000n);
    expect({ ...records[0]!.attributes }).toStrictEqual({ max: 2 ** 63, min: -(2 ** 63), past53: 9007199254740992, number: 12 });
    expect(logsError(record({ timeUnixNano: '18446744073709551616' }))).toMatch(/timeUnixNano: expected an unsigned 64-bit integer/);
    expect(logsError(record({ timeUnixNano: '-1' }))).toMatch(/timeUnixNano: expected an unsigned 64-bit integer/);
    expect(logsError(record({ timeUnixNano: 1.5 }))).toMatch(/timeUnixNano: expected an unsigned 64-bit integer/);
    expect(logsError(record({ timeUnixNano: '0x10' }))).toMatch(/timeUnixNano: expected an unsigned 64-bit integer/);
  });

  it('decodes to the same records as protobuf: bytes, negative and large integers, doubles, a hostile key, unknown fields', () => {
    const hostile = ['__', 'proto', '__'].join('');
    const fromJson = decodeLogs(
      json(
        `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gemini-cli"}}]},"schemaUrl":"x","scopeLogs":[{"scope":{"name":"gemini-cli","version":"0.9.0"},"logRecords":[{"timeUnixNano":"5","observedTimeUnixNano":"6","eventName":"gemini_cli.api_response","severityNumber":9,"severityText":"INFO","traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","flags":1,"body":{"stringValue":"b"},"attributes":[{"key":"${hostile}","value":{"stringValue":"x"}},{"key":"neg","value":{"intValue":"-7"}},{"key":"d","value":{"doubleValue":0.1}},{"key":"raw","value":{"bytesValue":"AAH+/w=="}},{"key":"empty","value":{}},{"key":"list","value":{"arrayValue":{"values":[{"intValue":1},{"stringValue":"s"}]}}}],"${hostile}":{"polluted":true}}]}]}]}`,
      ),
      'json',
    );
    const kv = (key: string, ...value: number[][]) => len(6, len(1, key), len(2, ...value));
    const fromProtobuf = decodeLogs(
      message(
        len(
          1,
          len(1, len(1, len(1, 'service.name'), len(2, len(1, 'gemini-cli')))),
          len(
            2,
            len(1, len(1, 'gemini-cli'), len(2, '0.9.0')),
            len(
              2,
              fixed64(1, 5n),
              fixed64(11, 6n),
              len(12, 'gemini_cli.api_response'),
              varint(2, 9),
              len(3, 'INFO'),
              len(5, len(1, 'b')),
              kv(hostile, len(1, 'x')),
              kv('neg', varint(3, -7n)),
              kv('d', [0x21, ...new Uint8Array(new Float64Array([0.1]).buffer)]),
              kv('raw', len(7, [0, 1, 254, 255])),
              len(6, len(1, 'empty'), len(2)),
              kv('list', len(5, len(1, varint(3, 1)), len(1, len(1, 's')))),
            ),
          ),
        ),
      ),
      'protobuf',
    );
    expect(fromJson).toStrictEqual(fromProtobuf);
    expect(Object.keys(fromJson.records[0]!.attributes)).toStrictEqual([hostile, 'neg', 'd', 'raw', 'empty', 'list']);
    expect(fromJson.records[0]!.attributes.raw).toBe('AAH+/w==');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts the proto's snake_case names, enum names and unpadded base64", () => {
    const camel = decodeMetrics(
      json({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                scope: { name: 's' },
                metrics: [
                  {
                    name: 'n',
                    sum: {
                      aggregationTemporality: 1,
                      isMonotonic: true,
                      dataPoints: [{ startTimeUnixNano: '1', timeUnixNano: '2', asInt: '3', attributes: [{ key: 'b', value: { bytesValue: 'AQ==' } }] }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
      'json',
    );
    const snake = decodeMetrics(
      json({
        resource_metrics: [
          {
            scope_metrics: [
              {
                scope: { name: 's' },
                metrics: [
                  {
                    name: 'n',
                    sum: {
                      aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA',
                      is_monotonic: true,
                      data_points: [{ start_time_unix_nano: 1, time_unix_nano: 2, as_int: 3, attributes: [{ key: 'b', value: { bytes_value: 'AQ' } }] }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
      'json',
    );
    expect(snake).toStrictEqual(camel);
    expect(camel.points[0]).toMatchObject({ value: 3, startTimeUnixNano: 1n, timeUnixNano: 2n, metric: { kind: 'sum', temporality: 'delta', monotonic: true } });
  });

  it('refuses values nested deeper than 64, with an OtlpDecodeError', () => {
    let value: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < 100; i++) value = { arrayValue: { values: [value] } };
    expect(logsError(record({ body: value }))).toMatch(/values nested deeper than 64$/);
    expect(logsError(`{"resourceLogs":${'['.repeat(200_000)}${']'.repeat(200_000)}}`)).toMatch(/^(JSON body|resourceLogs)/);
  });

  it('an empty request has no records', () => {
    expect(decodeLogs(json({}), 'json')).toStrictEqual({ records: [] });
    expect(decodeMetrics(json({ resourceMetrics: [] }), 'json')).toStrictEqual({ points: [] });
  });
});
