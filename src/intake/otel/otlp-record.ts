/**
 * What the OTLP decoders hand the intake: log records and metric points, flattened from the
 * resource → scope → record nesting of an export request, with their attributes as plain objects.
 * The JSON and the protobuf decoders produce the same values for the same request.
 */

/**
 * An OTLP `AnyValue`: int64 values arrive as numbers (exact below 2^53, which bounds every count
 * the intake reads), bytes as base64 text, a key/value list as an object, an empty value as null.
 */
export type AnyValue = string | number | boolean | null | AnyValue[] | { [key: string]: AnyValue };

/** Attributes by key; the last of repeated keys wins. Created with a null prototype. */
export type Attributes = Record<string, AnyValue>;

export interface OtlpScope {
  name: string;
  version: string;
}

/** One log record (an agent's event) with its resource's and scope's attributes. */
export interface OtlpLogRecord {
  /** The resource's attributes, shared by every record of that resource (`service.name`, `host.name`, …). */
  resource: Attributes;
  scope: OtlpScope;
  /** `time_unix_nano`; 0n when the exporter did not set it. */
  timeUnixNano: bigint;
  /** `observed_time_unix_nano`; 0n when unset. */
  observedTimeUnixNano: bigint;
  /** `event_name` (OTLP 1.5+); '' when absent. Agents also name events in the `event.name` attribute. */
  eventName: string;
  severityText: string;
  body: AnyValue;
  attributes: Attributes;
}

export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'exponential-histogram' | 'summary';
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

/** One number data point of a sum or a gauge (histogram and summary points carry their sum and count). */
export interface OtlpMetricPoint {
  resource: Attributes;
  scope: OtlpScope;
  /** The metric's name, unit and kind, shared by all its points. */
  metric: { name: string; unit: string; kind: MetricKind; temporality: Temporality; monotonic: boolean };
  attributes: Attributes;
  /** `start_time_unix_nano`: a cumulative series restarts when it changes; 0n when unset. */
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** The point's value (`as_int` or `as_double`); a histogram's or summary's `sum`. */
  value: number;
  /** A histogram's or summary's `count`; absent for sums and gauges. */
  count?: number;
}

/** What a decoder found in one export request. */
export interface DecodedLogs {
  records: OtlpLogRecord[];
}

export interface DecodedMetrics {
  points: OtlpMetricPoint[];
}
