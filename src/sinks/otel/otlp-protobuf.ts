import { COST_COUNTER, REQUESTS_COUNTER, SCOPE_NAME, TOKEN_USAGE_BOUNDARIES, TOKEN_USAGE_HISTOGRAM, TOKENS_COUNTER } from './metric-names.js';
import { DESCRIPTIONS, NANOS_PER_USD, TEMPORALITY } from './otlp-shape.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { METRIC_UNITS, type PointAttributes, type SumPoint, type UsageMetrics } from './usage-points.js';

/**
 * An `ExportMetricsServiceRequest` in protobuf (`http/protobuf`), field numbers as in
 * opentelemetry/proto/metrics/v1/metrics.proto and common/v1/common.proto.
 */
export function otlpProtobuf(m: UsageMetrics): Uint8Array {
  const start = BigInt(Math.round(m.startTimeMs)) * 1_000_000n;
  const time = BigInt(Math.round(m.timeMs)) * 1_000_000n;
  const temporality = TEMPORALITY[m.temporality];
  const out = new ProtobufWriter();
  // ExportMetricsServiceRequest.resource_metrics = 1
  out.message(1, (rm) => {
    // ResourceMetrics.resource = 1 (Resource.attributes = 1)
    rm.message(1, (r) => attributes(r, 1, m.resource));
    // ResourceMetrics.scope_metrics = 2
    rm.message(2, (sm) => {
      // ScopeMetrics.scope = 1 (InstrumentationScope: name = 1, version = 2)
      sm.message(1, (s) => {
        s.string(1, SCOPE_NAME);
        s.string(2, m.scopeVersion);
      });
      // ScopeMetrics.metrics = 2
      if (m.histogram.length > 0) {
        sm.message(2, (metric) => {
          header(metric, TOKEN_USAGE_HISTOGRAM);
          // Metric.histogram = 9: data_points = 1, aggregation_temporality = 2
          metric.message(9, (h) => {
            for (const p of m.histogram) {
              h.message(1, (dp) => {
                // HistogramDataPoint: start = 2, time = 3, count = 4, sum = 5, bucket_counts = 6,
                // explicit_bounds = 7, attributes = 9, min = 11, max = 12
                dp.fixed64(2, start);
                dp.fixed64(3, time);
                dp.fixed64(4, BigInt(p.count));
                dp.double(5, p.sum);
                dp.packedFixed64(6, p.bucketCounts);
                dp.packedDouble(7, TOKEN_USAGE_BOUNDARIES);
                attributes(dp, 9, p.attributes);
                dp.double(11, p.min);
                dp.double(12, p.max);
              });
            }
            h.varint(2, temporality);
          });
        });
      }
      const sum = (name: string, points: SumPoint[], value: (dp: ProtobufWriter, p: SumPoint) => void): void => {
        if (points.length === 0) return;
        sm.message(2, (metric) => {
          header(metric, name);
          // Metric.sum = 7: data_points = 1, aggregation_temporality = 2, is_monotonic = 3
          metric.message(7, (s) => {
            for (const p of points) {
              s.message(1, (dp) => {
                // NumberDataPoint: start = 2, time = 3, as_double = 4, as_int = 6, attributes = 7
                dp.fixed64(2, start);
                dp.fixed64(3, time);
                value(dp, p);
                attributes(dp, 7, p.attributes);
              });
            }
            s.varint(2, temporality);
            s.varint(3, 1);
          });
        });
      };
      sum(TOKENS_COUNTER, m.tokens, (dp, p) => dp.sfixed64(6, p.value));
      sum(COST_COUNTER, m.costNanos, (dp, p) => dp.double(4, p.value / NANOS_PER_USD));
      sum(REQUESTS_COUNTER, m.requests, (dp, p) => dp.sfixed64(6, p.value));
    });
  });
  return out.bytes();
}

/** Metric: name = 1, description = 2, unit = 3. */
function header(metric: ProtobufWriter, name: string): void {
  metric.string(1, name);
  metric.string(2, DESCRIPTIONS[name] ?? '');
  metric.string(3, METRIC_UNITS[name as keyof typeof METRIC_UNITS]);
}

/** KeyValue: key = 1, value = 2 (AnyValue.string_value = 1). */
function attributes(w: ProtobufWriter, field: number, pairs: PointAttributes): void {
  for (const [key, value] of pairs) {
    w.message(field, (kv) => {
      kv.string(1, key);
      kv.message(2, (v) => v.string(1, value));
    });
  }
}
