import { billedTokens, type TokenCounts } from '../../../core/usage-event.js';
import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import { otelContentKey } from '../otel-key.js';
import { otelRecorder } from '../otel-recorder.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { allFields, countField, occurredAtField, textOf } from '../record-fields.js';

const AGENT = 'codex-cli';
const SSE_EVENT = 'codex.sse_event';
const COMPLETED = 'response.completed';
/** Who the event is filed under, most personal first (see otel-recorder.ts). */
const USER_KEYS = ['user.email', 'user.account_id'];

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
  const model = textOf(a, 'model');
  if (model === undefined) return rejected('model is missing');
  const sessionId = textOf(a, 'conversation.id');
  if (sessionId === undefined) return rejected('conversation.id is missing');
  // `tool_token_count` is left out: Codex fills it with the request's total, which is no bucket.
  const read = allFields({
    input: countField(a, 'input_token_count', 'required'),
    output: countField(a, 'output_token_count', 'required'),
    cached: countField(a, 'cached_token_count'),
    reasoning: countField(a, 'reasoning_token_count'),
  });
  if ('problem' in read) return rejected(read.problem);
  const time = occurredAtField(record, now);
  if ('problem' in time) return rejected(time.problem);
  const n = read.value;
  // As the rollout log: cached input is part of input, reasoning part of output.
  const cached = Math.min(n.cached, n.input);
  const counts: TokenCounts = {
    inputTokens: n.input - cached,
    outputTokens: n.output,
    reasoningTokens: Math.min(n.reasoning, n.output),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
  };
  if (billedTokens(counts) === 0) return { kind: 'ignored' };
  return {
    kind: 'usage',
    event: {
      agent: AGENT,
      provider: 'openai',
      model,
      sessionId,
      project: '',
      occurredAt: time.value,
      ...counts,
      dedupKey: otelContentKey(AGENT, sessionId, time.value, model, counts),
      recordedBy: otelRecorder(a, record.resource, USER_KEYS),
    },
  };
}

function rejected(problem: string): RecordOutcome {
  return { kind: 'rejected', reason: `${SSE_EVENT} (${COMPLETED}): ${problem}` };
}
