import type { AnyValue, Attributes, MetricKind, OtlpLogRecord, OtlpMetricPoint, Temporality } from '../intake/otel/otlp-record.js';

/**
 * A small reading of OTLP/JSON export requests into the intake's records and points, for the
 * agents' tests: it reads only well-formed fixtures (the intake's decoder is the one that checks
 * what arrives) and keeps int64 values as the decoder does (numbers).
 */

type Json = Record<string, unknown>;

export function logRecordsOf(text: string): OtlpLogRecord[] {
  const request = JSON.parse(text) as Json;
  const records: OtlpLogRecord[] = [];
  for (const rl of (request.resourceLogs as Json[] | undefined) ?? []) {
    const resource = attributesOf((rl.resource as Json | undefined)?.attributes);
    for (const sl of (rl.scopeLogs as Json[] | undefined) ?? []) {
      const scope = scopeOf(sl.scope);
      for (const r of (sl.logRecords as Json[] | undefined) ?? []) {
        records.push({
          resource,
          scope,
          timeUnixNano: BigInt((r.timeUnixNano as string | undefined) ?? 0),
          observedTimeUnixNano: BigInt((r.observedTimeUnixNano as string | undefined) ?? 0),
          eventName: (r.eventName as string | undefined) ?? '',
          severityText: (r.severityText as string | undefined) ?? '',
          body: r.body === undefined ? null : anyValueOf(r.body as Json),
          attributes: attributesOf(r.attributes),
        });
      }
    }
  }
  return records;
}

export function metricPointsOf(text: string): OtlpMetricPoint[] {
  const request = JSON.parse(text) as Json;
  const points: OtlpMetricPoint[] = [];
  for (const rm of (request.resourceMetrics as Json[] | undefined) ?? []) {
    const resource = attributesOf((rm.resource as Json | undefined)?.attributes);
    for (const sm of (rm.scopeMetrics as Json[] | undefined) ?? []) {
      const scope = scopeOf(sm.scope);
      for (const m of (sm.metrics as Json[] | undefined) ?? []) {
        const kind: MetricKind = m.sum !== undefined ? 'sum' : 'gauge';
        const data = (m.sum ?? m.gauge) as Json;
        const temporality: Temporality = data.aggregationTemporality === 1 ? 'delta' : data.aggregationTemporality === 2 ? 'cumulative' : 'unspecified';
        const metric = { name: m.name as string, unit: (m.unit as string | undefined) ?? '', kind, temporality, monotonic: data.isMonotonic === true };
        for (const p of (data.dataPoints as Json[] | undefined) ?? []) {
          points.push({
            resource,
            scope,
            metric,
            attributes: attributesOf(p.attributes),
            startTimeUnixNano: BigInt((p.startTimeUnixNano as string | undefined) ?? 0),
            timeUnixNano: BigInt((p.timeUnixNano as string | undefined) ?? 0),
            value: p.asInt !== undefined ? Number(p.asInt) : Number(p.asDouble),
          });
        }
      }
    }
  }
  return points;
}

function scopeOf(scope: unknown): { name: string; version: string } {
  const s = (scope ?? {}) as Json;
  return { name: (s.name as string | undefined) ?? '', version: (s.version as string | undefined) ?? '' };
}

function attributesOf(list: unknown): Attributes {
  const attributes: Attributes = Object.create(null);
  for (const kv of (list as Json[] | undefined) ?? []) attributes[kv.key as string] = anyValueOf((kv.value ?? {}) as Json);
  return attributes;
}

function anyValueOf(v: Json): AnyValue {
  if (v.stringValue !== undefined) return v.stringValue as string;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.boolValue !== undefined) return v.boolValue as boolean;
  if (v.arrayValue !== undefined) return (((v.arrayValue as Json).values as Json[] | undefined) ?? []).map(anyValueOf);
  if (v.kvlistValue !== undefined) return attributesOf((v.kvlistValue as Json).values);
  return null;
}
