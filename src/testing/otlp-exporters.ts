import type { Meter } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** The official OTLP/HTTP exporters, as real clients in tests: `json` is exporter-*-otlp-http, `protobuf` exporter-*-otlp-proto. */
export type ExporterFormat = 'json' | 'protobuf';

export interface ExportOptions {
  /** The endpoint URL, path included (`http://127.0.0.1:4318/v1/logs`). */
  url: string;
  format: ExporterFormat;
  resource: Record<string, string | number | boolean>;
  scope: { name: string; version: string };
  headers?: Record<string, string>;
  compression?: 'gzip' | 'none';
}

type Compression = NonNullable<ConstructorParameters<typeof JsonLogExporter>[0]>['compression'];

/** The exporters type `compression` as their own enum, whose values are these strings. */
function compressionOf(options: ExportOptions): Compression {
  return (options.compression ?? 'none') as Compression;
}

/** Emits `records` through a LoggerProvider with a batch processor and flushes them as one export request. */
export async function exportLogs(options: ExportOptions, records: readonly LogRecord[]): Promise<void> {
  const config = { url: options.url, headers: options.headers ?? {}, compression: compressionOf(options) };
  const exporter = options.format === 'json' ? new JsonLogExporter(config) : new ProtoLogExporter(config);
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(options.resource),
    processors: [new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 512, maxQueueSize: 4096, scheduledDelayMillis: 60_000 })],
  });
  const logger = provider.getLogger(options.scope.name, options.scope.version);
  for (const record of records) logger.emit(record);
  await provider.forceFlush();
  await provider.shutdown();
}

/**
 * Records instruments with `record` on a MeterProvider, then exports them once (`temporality` delta or
 * cumulative); the histograms named in `exponential` are aggregated as exponential histograms.
 */
export async function exportMetrics(options: ExportOptions & { temporality: 'delta' | 'cumulative'; exponential?: string[] }, record: (meter: Meter) => void): Promise<void> {
  const temporalityPreference = options.temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  const config = { url: options.url, headers: options.headers ?? {}, compression: compressionOf(options), temporalityPreference };
  const exporter = options.format === 'json' ? new JsonMetricExporter(config) : new ProtoMetricExporter(config);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const views = (options.exponential ?? []).map((instrumentName) => ({ instrumentName, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } as const }));
  const provider = new MeterProvider({ resource: resourceFromAttributes(options.resource), readers: [reader], views });
  record(provider.getMeter(options.scope.name, options.scope.version));
  await provider.forceFlush();
  await provider.shutdown();
}
