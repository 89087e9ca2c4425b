import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { allFields, countField } from '../record-fields.js';
import { type OtelSource, requestBasics, requestUsage } from '../request-usage.js';

const AGENT = 'codex-cli';
const SSE_EVENT = 'codex.sse_event';
const COMPLETED = 'response.completed';
/** Who the event is filed under, most personal first (see otel-recorder.ts). */
const SOURCE: OtelSource = { agent: AGENT, provider: 'openai', userKeys: ['user.email', 'user.account_id'] };

/**
 * Codex CLI's OpenTelemetry export (`codex-rs/otel`, checked against its 2026 sources;
 * README.md beside this file): the `codex.sse_event` event of kind `response.completed` carries the
 * usage of one Responses API request. Its events are named in the `event.name` attribute, under
 * the scope `codex_otel.log_only` (the tracing target), with `service.name` the Codex originator.
 * Codex exports no token metrics, so it has no metrics reading.
 */
export const codexCliOtel: OtelAgent = {
  agent: AGENT,
  label: 'Codex CLI (events codex.sse_event, kind response.completed; checked against its 2026 codex-rs/otel sources)',
  ownsRecord(record) {
    if (record.scope.name.startsWith('codex_otel')) return true;
    const service = record.resource['service.name'];
    if (typeof service === 'string' && service.startsWith('codex')) return true;
    const name = record.attributes['event.name'];
    return typeof name === 'string' && name.startsWith('codex.');
  },
  fromRecord(record) {
    const a = record.attributes;
    if (a['event.name'] !== SSE_EVENT || a['event.kind'] !== COMPLETED) return { kind: 'ignored' };
    // A completed response whose usage Codex could not read is logged with an error and no counts.
    if (a.input_token_count === undefined && a['error.message'] !== undefined) return { kind: 'ignored' };
    return completed(record, Date.now());
  },
};

function completed(record: OtlpLogRecord, now: number): RecordOutcome {
  const a = record.attributes;
  const basics = requestBasics(record, 'conversation.id', now);
  if ('problem' in basics) return rejected(basics.problem);
  // `tool_token_count` is left out: Codex fills it with the request's total, which is no bucket.
  const read = allFields({
    input: countField(a, 'input_token_count', 'required'),
    output: countField(a, 'output_token_count', 'required'),
    cached: countField(a, 'cached_token_count'),
    reasoning: countField(a, 'reasoning_token_count'),
  });
  if ('problem' in read) return rejected(read.problem);
  const n = read.value;
  // As the rollout log: cached input is part of input, reasoning part of output.
  const cached = Math.min(n.cached, n.input);
  return requestUsage(SOURCE, record, basics.value, {
    inputTokens: n.input - cached,
    outputTokens: n.output,
    reasoningTokens: Math.min(n.reasoning, n.output),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
  });
}

function rejected(problem: string): RecordOutcome {
  return { kind: 'rejected', reason: `${SSE_EVENT} (${COMPLETED}): ${problem}` };
}
