import { type Attributes, ValueType } from '@opentelemetry/api';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { StoredEvent } from '../ledger/ledger.js';
import { ATTR, COST_COUNTER, OPERATION_NAME, REQUESTS_COUNTER, SCOPE_NAME, TOKEN_USAGE_BOUNDARIES, TOKEN_USAGE_HISTOGRAM, TOKENS_COUNTER } from '../sinks/otel/metric-names.js';
import { genAiTokens, seriesAttributes, sentCounts } from '../sinks/otel/usage-points.js';
import type { Temporality } from '../sinks/otel/usage-points.js';

export interface SdkExportOptions {
  /** The full metrics URL (`…/v1/metrics`). */
  url: string;
  protocol: 'http/json' | 'http/protobuf';
  temporality?: Temporality;
  namespace?: string;
}

/**
 * The same usage as `OtlpUsageExport` sends, recorded through the official OpenTelemetry SDK
 * (`MeterProvider`, the GenAI histogram's buckets given as advice) and exported once by the
 * official OTLP/HTTP exporter: the bench's other contender, and a real client for round trips.
 */
export async function sdkExport(events: readonly StoredEvent[], options: SdkExportOptions): Promise<void> {
  const temporalityPreference = options.temporality === 'cumulative' ? AggregationTemporalityPreference.CUMULATIVE : AggregationTemporalityPreference.DELTA;
  const exporter = options.protocol === 'http/json' ? new JsonExporter({ url: options.url, temporalityPreference }) : new ProtoExporter({ url: options.url, temporalityPreference });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'tokenledger', [ATTR.namespace]: options.namespace ?? 'cost-tracking' }),
    readers: [reader],
  });
  const meter = provider.getMeter(SCOPE_NAME);
  const histogram = meter.createHistogram(TOKEN_USAGE_HISTOGRAM, { unit: '{token}', valueType: ValueType.INT, advice: { explicitBucketBoundaries: [...TOKEN_USAGE_BOUNDARIES] } });
  const tokens = meter.createCounter(TOKENS_COUNTER, { unit: '{token}', valueType: ValueType.INT });
  const cost = meter.createCounter(COST_COUNTER, { unit: 'USD', valueType: ValueType.DOUBLE });
  const requests = meter.createCounter(REQUESTS_COUNTER, { unit: '{request}', valueType: ValueType.INT });
  const none = new Set<never>();
  for (const e of events) {
    const { counters } = seriesAttributes(e, none);
    const base: Attributes = Object.fromEntries(counters);
    const genAi: Attributes = { [ATTR.operation]: OPERATION_NAME, [ATTR.provider]: base[ATTR.provider], [ATTR.model]: base[ATTR.model] };
    histogram.record(genAiTokens(e, 'input'), { ...genAi, [ATTR.genAiTokenType]: 'input' });
    histogram.record(genAiTokens(e, 'output'), { ...genAi, [ATTR.genAiTokenType]: 'output' });
    const counts = sentCounts(e);
    for (const type of ['input', 'output', 'reasoning', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const) {
      if (counts[type] > 0) tokens.add(counts[type], { ...base, [ATTR.tokenType]: type });
    }
    if (e.costNanos > 0) cost.add(e.costNanos / 1e9, base);
    requests.add(1, base);
  }
  await reader.forceFlush();
  await provider.shutdown();
}
