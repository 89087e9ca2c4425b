import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

/** The two OTLP/HTTP encodings, as the official exporters write them. */
export const FORMATS = ['json', 'protobuf'] as const;
export type Format = (typeof FORMATS)[number];

/** Export requests of one shape, pre-encoded: each holds `perRequest` records no other request repeats. */
export interface Bodies {
  perRequest: number;
  json: Buffer[];
  protobuf: Buffer[];
}

/**
 * `requests` export requests of `perRequest` Claude Code `claude_code.api_request` records each, shaped
 * as Claude Code exports them (every attribute a string, its resource and scope), one session per
 * request and `event.sequence` counting up: every record is a new usage event. The records pass
 * through the SDK's LoggerProvider, and the bodies are the exporters' own serializers' output.
 */
export async function claudeCodeBodies(requests: number, perRequest: number, run: string): Promise<Bodies> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.40', 'os.type': 'linux', 'os.version': '6.8.0', 'host.arch': 'x64' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('com.anthropic.claude_code.events', '2.1.40');
  const start = Date.now() - 3_600_000;
  for (let r = 0; r < requests; r++) {
    const session = `${run}-${r}`;
    for (let i = 0; i < perRequest; i++) {
      const at = start + r * perRequest + i;
      logger.emit({
        timestamp: at,
        observedTimestamp: at,
        severityNumber: 9,
        severityText: 'INFO',
        body: 'claude_code.api_request',
        attributes: {
          'user.id': '8f2c1e0d4b3a29187f6e5d4c3b2a19080706050403020100ffeeddccbbaa9988',
          'session.id': session,
          'app.version': '2.1.40',
          'organization.id': '3c9d8e7f-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
          'user.email': 'dev@example.com',
          'user.account_uuid': '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
          'terminal.type': 'vscode',
          'event.name': 'api_request',
          'event.timestamp': new Date(at).toISOString(),
          'event.sequence': String(i),
          'prompt.id': 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
          model: 'claude-sonnet-4-5-20250929',
          input_tokens: String(3 + (i % 50)),
          output_tokens: String(159 + i),
          cache_read_tokens: '20000',
          cache_creation_tokens: '1000',
          cost_usd: '0.012144',
          duration_ms: '5120',
          speed: 'normal',
        },
      });
    }
  }
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  const batches: ReadableLogRecord[][] = [];
  for (let r = 0; r < requests; r++) batches.push(records.slice(r * perRequest, (r + 1) * perRequest));
  return {
    perRequest,
    json: batches.map((batch) => Buffer.from(JsonLogsSerializer.serializeRequest(batch) as Uint8Array)),
    protobuf: batches.map((batch) => Buffer.from(ProtobufLogsSerializer.serializeRequest(batch) as Uint8Array)),
  };
}
