import type { Attributes, DecodedMetrics, MetricKind, OtlpMetricPoint, OtlpScope } from '../otlp-record.js';
import { newAttributes, readAttribute, readResource, readScope } from './proto-common.js';
import { temporalityOf } from './temporality.js';
import { FIXED64, LEN, VARINT, WireReader } from './wire-reader.js';

type MetricInfo = OtlpMetricPoint['metric'];

/** Per kind: the Metric field that carries it, and the data point fields that hold attributes, start, time, value and count. */
interface PointLayout {
  kind: MetricKind;
  message: string;
  attributes: number;
  /** The field of a number point's `as_double` (4) and `as_int` (6), or of a histogram's or summary's `sum` (5). */
  double: number;
  int: number;
  /** A histogram's or summary's `count` (fixed64); 0 when the points have none. */
  count: number;
}

const NUMBER_POINT = { attributes: 7, double: 4, int: 6, count: 0 };
const LAYOUTS: Record<number, PointLayout> = {
  5: { kind: 'gauge', message: 'Gauge', ...NUMBER_POINT },
  7: { kind: 'sum', message: 'Sum', ...NUMBER_POINT },
  9: { kind: 'histogram', message: 'Histogram', attributes: 9, double: 5, int: 0, count: 4 },
  10: { kind: 'exponential-histogram', message: 'ExponentialHistogram', attributes: 1, double: 5, int: 0, count: 4 },
  11: { kind: 'summary', message: 'Summary', attributes: 7, double: 5, int: 0, count: 4 },
};

/**
 * Decodes a protobuf `ExportMetricsServiceRequest` {1 resource_metrics}: ResourceMetrics {1 resource,
 * 2 scope_metrics}, ScopeMetrics {1 scope, 2 metrics}, Metric {1 name, 3 unit, 5 gauge, 7 sum, 9 histogram,
 * 10 exponential_histogram, 11 summary}, each {1 data_points, 2 aggregation_temporality (not gauge, summary),
 * 3 is_monotonic (sum)}; the points' fields per `LAYOUTS`, with start 2 and time 3 in every kind.
 */
export function protoMetrics(body: Uint8Array): DecodedMetrics {
  const r = new WireReader(body);
  const end = body.byteLength;
  const points: OtlpMetricPoint[] = [];
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, 'ExportMetricsServiceRequest.resource_metrics');
      readResourceMetrics(r, r.len(end), points);
    } else r.skip(end);
  }
  return { points };
}

function readResourceMetrics(r: WireReader, end: number, points: OtlpMetricPoint[]): void {
  const resource = newAttributes();
  while (r.next(end)) {
    if (r.field === 1) readResource(r, end, resource, 'ResourceMetrics.resource');
    else if (r.field === 2) {
      r.expect(LEN, 'ResourceMetrics.scope_metrics');
      readScopeMetrics(r, r.len(end), resource, points);
    } else r.skip(end);
  }
}

function readScopeMetrics(r: WireReader, end: number, resource: Attributes, points: OtlpMetricPoint[]): void {
  const scope: OtlpScope = { name: '', version: '' };
  while (r.next(end)) {
    if (r.field === 1) readScope(r, end, scope, 'ScopeMetrics.scope');
    else if (r.field === 2) {
      r.expect(LEN, 'ScopeMetrics.metrics');
      readMetric(r, r.len(end), resource, scope, points);
    } else r.skip(end);
  }
}

function readMetric(r: WireReader, end: number, resource: Attributes, scope: OtlpScope, points: OtlpMetricPoint[]): void {
  // Shared by the metric's points and filled in place: the name may follow the data on the wire.
  const metric: MetricInfo = { name: '', unit: '', kind: 'gauge', temporality: 'unspecified', monotonic: false };
  while (r.next(end)) {
    const layout = LAYOUTS[r.field];
    if (layout !== undefined) {
      r.expect(LEN, `Metric.${layout.message}`);
      metric.kind = layout.kind;
      readData(r, r.len(end), layout, resource, scope, metric, points);
    } else if (r.field === 1) {
      r.expect(LEN, 'Metric.name');
      metric.name = r.string(end);
    } else if (r.field === 3) {
      r.expect(LEN, 'Metric.unit');
      metric.unit = r.string(end);
    } else r.skip(end);
  }
}

function readData(r: WireReader, end: number, layout: PointLayout, resource: Attributes, scope: OtlpScope, metric: MetricInfo, points: OtlpMetricPoint[]): void {
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, `${layout.message}.data_points`);
      points.push(readPoint(r, r.len(end), layout, resource, scope, metric));
    } else if (r.field === 2 && layout.kind !== 'gauge' && layout.kind !== 'summary') {
      r.expect(VARINT, `${layout.message}.aggregation_temporality`);
      metric.temporality = temporalityOf(r.varint(end));
    } else if (r.field === 3 && layout.kind === 'sum') {
      r.expect(VARINT, 'Sum.is_monotonic');
      metric.monotonic = r.varint(end) !== 0;
    } else r.skip(end);
  }
}

function readPoint(r: WireReader, end: number, layout: PointLayout, resource: Attributes, scope: OtlpScope, metric: MetricInfo): OtlpMetricPoint {
  const attributes = newAttributes();
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let value = 0;
  let count = 0;
  while (r.next(end)) {
    const field = r.field;
    if (field === layout.attributes) readAttribute(r, end, attributes, `${layout.message} point attributes`);
    else if (field === 2) {
      r.expect(FIXED64, `${layout.message} point start_time_unix_nano`);
      startTimeUnixNano = r.fixed64Big(end);
    } else if (field === 3) {
      r.expect(FIXED64, `${layout.message} point time_unix_nano`);
      timeUnixNano = r.fixed64Big(end);
    } else if (field === layout.double) {
      r.expect(FIXED64, `${layout.message} point ${layout.count === 0 ? 'as_double' : 'sum'}`);
      value = r.double(end);
    } else if (field === layout.int) {
      r.expect(FIXED64, `${layout.message} point as_int`);
      value = r.sfixed64(end);
    } else if (field === layout.count) {
      r.expect(FIXED64, `${layout.message} point count`);
      count = r.fixed64(end);
    } else r.skip(end);
  }
  if (layout.count === 0) return { resource, scope, metric, attributes, startTimeUnixNano, timeUnixNano, value };
  return { resource, scope, metric, attributes, startTimeUnixNano, timeUnixNano, value, count };
}
