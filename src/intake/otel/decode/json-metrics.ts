import type { Attributes, DecodedMetrics, MetricKind, OtlpMetricPoint, OtlpScope } from '../otlp-record.js';
import { parseJsonBody } from './json-body.js';
import { attributesOf, resourceOf, scopeOf } from './json-common.js';
import { arrayField, boolField, doubleField, enumField, int64Field, itemObject, type JsonObject, nested, objectField, stringField, timeField } from './json-fields.js';
import { temporalityOf } from './temporality.js';

type MetricInfo = OtlpMetricPoint['metric'];

/** The data fields of a Metric, by JSON name, with their snake_case names. */
const KINDS: readonly (readonly [string, string, MetricKind])[] = [
  ['gauge', 'gauge', 'gauge'],
  ['sum', 'sum', 'sum'],
  ['histogram', 'histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram', 'exponential-histogram'],
  ['summary', 'summary', 'summary'],
];

const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/** Decodes an OTLP/JSON `ExportMetricsServiceRequest`; unknown fields are ignored. */
export function jsonMetrics(body: Uint8Array): DecodedMetrics {
  const request = parseJsonBody(body);
  const points: OtlpMetricPoint[] = [];
  const resourceMetrics = arrayField(request.resourceMetrics ?? request.resource_metrics, 'resourceMetrics');
  for (let i = 0; i < resourceMetrics.length; i++) {
    const item = itemObject(resourceMetrics[i], 'resourceMetrics', i);
    try {
      const resource = resourceOf(item);
      const scopeMetrics = arrayField(item.scopeMetrics ?? item.scope_metrics, 'scopeMetrics');
      for (let j = 0; j < scopeMetrics.length; j++) {
        const scopeItem = itemObject(scopeMetrics[j], 'scopeMetrics', j);
        try {
          readScopeMetrics(scopeItem, resource, points);
        } catch (error) {
          nested(`scopeMetrics[${j}]`, error);
        }
      }
    } catch (error) {
      nested(`resourceMetrics[${i}]`, error);
    }
  }
  return { points };
}

function readScopeMetrics(item: JsonObject, resource: Attributes, points: OtlpMetricPoint[]): void {
  const scope = scopeOf(item);
  const metrics = arrayField(item.metrics, 'metrics');
  for (let i = 0; i < metrics.length; i++) {
    const metric = itemObject(metrics[i], 'metrics', i);
    try {
      readMetric(metric, resource, scope, points);
    } catch (error) {
      nested(`metrics[${i}]`, error);
    }
  }
}

function readMetric(m: JsonObject, resource: Attributes, scope: OtlpScope, points: OtlpMetricPoint[]): void {
  const name = stringField(m.name, 'name');
  const unit = stringField(m.unit, 'unit');
  for (const [field, snake, kind] of KINDS) {
    const data = objectField(m[field] ?? m[snake], field);
    if (data === undefined) continue;
    try {
      const temporality = kind === 'gauge' || kind === 'summary' ? 0 : enumField(data.aggregationTemporality ?? data.aggregation_temporality, 'aggregationTemporality', TEMPORALITY_NAMES);
      const monotonic = kind === 'sum' ? boolField(data.isMonotonic ?? data.is_monotonic, 'isMonotonic') : false;
      const metric: MetricInfo = { name, unit, kind, temporality: temporalityOf(temporality), monotonic };
      const dataPoints = arrayField(data.dataPoints ?? data.data_points, 'dataPoints');
      for (let i = 0; i < dataPoints.length; i++) {
        const point = itemObject(dataPoints[i], 'dataPoints', i);
        try {
          points.push(readPoint(point, resource, scope, metric));
        } catch (error) {
          nested(`dataPoints[${i}]`, error);
        }
      }
    } catch (error) {
      nested(field, error);
    }
  }
}

function readPoint(p: JsonObject, resource: Attributes, scope: OtlpScope, metric: MetricInfo): OtlpMetricPoint {
  const attributes = attributesOf(p.attributes, 'attributes');
  const startTimeUnixNano = timeField(p.startTimeUnixNano ?? p.start_time_unix_nano, 'startTimeUnixNano');
  const timeUnixNano = timeField(p.timeUnixNano ?? p.time_unix_nano, 'timeUnixNano');
  if (metric.kind === 'gauge' || metric.kind === 'sum') {
    const asInt = p.asInt ?? p.as_int;
    const value = asInt !== undefined && asInt !== null ? int64Field(asInt, 'asInt', true) : doubleField(p.asDouble ?? p.as_double, 'asDouble');
    return { resource, scope, metric, attributes, startTimeUnixNano, timeUnixNano, value };
  }
  const value = doubleField(p.sum, 'sum');
  const count = int64Field(p.count, 'count', false);
  return { resource, scope, metric, attributes, startTimeUnixNano, timeUnixNano, value, count };
}
