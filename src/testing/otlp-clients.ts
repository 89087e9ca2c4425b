import { readFileSync } from 'node:fs';
import type { AnyValue as SdkAnyValue } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** An `ExportLogsServiceRequest` in OTLP/JSON, as the agents' fixtures hold them. */
export interface JsonEnvelope {
  resourceLogs: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeLogs: { scope?: { name?: string; version?: string }; logRecords: JsonLogRecord[] }[];
  }[];
}
interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}
type JsonAnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
};
interface JsonLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  eventName?: string;
  body?: JsonAnyValue;
  attributes?: JsonKeyValue[];
}

/** One of the agents' fixture requests (`src/intake/otel/agents/fixtures/<name>`). */
export function agentFixture(name: string): JsonEnvelope {
  return JSON.parse(readFileSync(new URL(`../intake/otel/agents/fixtures/${name}`, import.meta.url), 'utf8')) as JsonEnvelope;
}

/** How the official exporter sends: OTLP/JSON or protobuf, gzip or not, to a URL, with headers. */
export interface ExporterChoice {
  encoding: 'json' | 'protobuf';
  url: string;
  gzip?: boolean;
  headers?: Record<string, string>;
  /** How long one export (its retries included) may take, ms (default 10 s). */
  timeoutMillis?: number;
}

type ExporterConfig = NonNullable<ConstructorParameters<typeof JsonLogExporter>[0]>;

/** The official OTLP log exporter of that encoding (its retries on 429/503 included). */
export function logExporter(choice: ExporterChoice): LogRecordExporter {
  const config: ExporterConfig = {
    url: choice.url,
    headers: choice.headers ?? {},
    timeoutMillis: choice.timeoutMillis ?? 10_000,
    ...(choice.gzip === true ? { compression: 'gzip' as ExporterConfig['compression'] } : {}),
  };
  return choice.encoding === 'json' ? new JsonLogExporter(config) : new ProtoLogExporter(config);
}

/** What one export came back with: `code` 0 is success; `error` says why not. */
export interface ExportOutcome {
  code: number;
  error?: Error;
}

/**
 * Emits the records of `envelope` through the OpenTelemetry SDK (a logger provider per resource,
 * a logger per scope, the records' times, bodies and attributes as the agent set them) and
 * exports each resource's records as one request through `exporter`; the outcome of each export.
 */
export async function sendEnvelope(envelope: JsonEnvelope, exporter: LogRecordExporter): Promise<ExportOutcome[]> {
  const outcomes: ExportOutcome[] = [];
  const capturing: LogRecordExporter = {
    export: (logs: ReadableLogRecord[], done) =>
      exporter.export(logs, (result) => {
        outcomes.push(result.error === undefined ? { code: result.code } : { code: result.code, error: result.error });
        done(result);
      }),
    shutdown: () => Promise.resolve(),
    forceFlush: () => exporter.forceFlush(),
  };
  for (const rl of envelope.resourceLogs) {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes(attributesOf(rl.resource?.attributes) as Record<string, string>),
      processors: [new BatchLogRecordProcessor({ exporter: capturing, maxExportBatchSize: 10_000, maxQueueSize: 10_000, scheduledDelayMillis: 3_600_000, exportTimeoutMillis: 60_000 })],
    });
    for (const sl of rl.scopeLogs) {
      const logger = provider.getLogger(sl.scope?.name ?? '', sl.scope?.version);
      for (const r of sl.logRecords) {
        logger.emit({
          ...(r.timeUnixNano === undefined ? {} : { timestamp: hrTime(r.timeUnixNano) }),
          ...(r.observedTimeUnixNano === undefined ? {} : { observedTimestamp: hrTime(r.observedTimeUnixNano) }),
          ...(r.severityNumber === undefined ? {} : { severityNumber: r.severityNumber }),
          ...(r.severityText === undefined ? {} : { severityText: r.severityText }),
          ...(r.eventName === undefined ? {} : { eventName: r.eventName }),
          ...(r.body === undefined ? {} : { body: anyValue(r.body) }),
          attributes: attributesOf(r.attributes),
        });
      }
    }
    await provider.forceFlush();
    await provider.shutdown();
  }
  await exporter.shutdown();
  return outcomes;
}

function hrTime(nanos: string): [number, number] {
  const n = BigInt(nanos);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

function attributesOf(list: JsonKeyValue[] | undefined): Record<string, SdkAnyValue> {
  const out: Record<string, SdkAnyValue> = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function anyValue(v: JsonAnyValue): SdkAnyValue {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(anyValue);
  if (v.kvlistValue !== undefined) return attributesOf(v.kvlistValue.values);
  return null;
}
