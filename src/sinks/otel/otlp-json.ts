import { COST_COUNTER, REQUESTS_COUNTER, SCOPE_NAME, TOKEN_USAGE_BOUNDARIES, TOKEN_USAGE_HISTOGRAM, TOKENS_COUNTER } from './metric-names.js';
import { METRIC_UNITS, type PointAttributes, type SumPoint, type UsageMetrics } from './usage-points.js';
import { DESCRIPTIONS, nanos, NANOS_PER_USD, TEMPORALITY } from './otlp-shape.js';

/**
 * An `ExportMetricsServiceRequest` in OTLP/JSON (`http/json`): 64-bit integers as decimal strings,
 * enums as numbers, field names in lowerCamelCase, as the OTLP specification's JSON mapping says.
 */
export function otlpJson(m: UsageMetrics): string {
  const start = nanos(m.startTimeMs);
  const time = nanos(m.timeMs);
  const temporality = TEMPORALITY[m.temporality];
  const sum = (name: keyof typeof METRIC_UNITS, points: SumPoint[], value: (p: SumPoint) => Record<string, unknown>): unknown => ({
    name,
    description: DESCRIPTIONS[name],
    unit: METRIC_UNITS[name],
    sum: {
      aggregationTemporality: temporality,
      isMonotonic: true,
      dataPoints: points.map((p) => ({ attributes: attributes(p.attributes), startTimeUnixNano: start, timeUnixNano: time, ...value(p) })),
    },
  });
  const metrics: unknown[] = [];
  if (m.histogram.length > 0) {
    metrics.push({
      name: TOKEN_USAGE_HISTOGRAM,
      description: DESCRIPTIONS[TOKEN_USAGE_HISTOGRAM],
      unit: METRIC_UNITS[TOKEN_USAGE_HISTOGRAM],
      histogram: {
        aggregationTemporality: temporality,
        dataPoints: m.histogram.map((p) => ({
          attributes: attributes(p.attributes),
          startTimeUnixNano: start,
          timeUnixNano: time,
          count: String(p.count),
          sum: p.sum,
          bucketCounts: p.bucketCounts.map(String),
          explicitBounds: TOKEN_USAGE_BOUNDARIES,
          min: p.min,
          max: p.max,
        })),
      },
    });
  }
  if (m.tokens.length > 0) metrics.push(sum(TOKENS_COUNTER, m.tokens, (p) => ({ asInt: String(p.value) })));
  if (m.costNanos.length > 0) metrics.push(sum(COST_COUNTER, m.costNanos, (p) => ({ asDouble: p.value / NANOS_PER_USD })));
  if (m.requests.length > 0) metrics.push(sum(REQUESTS_COUNTER, m.requests, (p) => ({ asInt: String(p.value) })));
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: attributes(m.resource) }, scopeMetrics: [{ scope: { name: SCOPE_NAME, version: m.scopeVersion }, metrics }] }],
  });
}

function attributes(pairs: PointAttributes): unknown[] {
  return pairs.map(([key, value]) => ({ key, value: { stringValue: value } }));
}
