import { billedTokens, type TokenCounts } from '../../../core/usage-event.js';
import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import { otelContentKey } from '../otel-key.js';
import { otelRecorder } from '../otel-recorder.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { allFields, countField, occurredAtField, textOf } from '../record-fields.js';
import { metricPointEvent } from './metric-point.js';

const AGENT = 'gemini-cli';
const API_RESPONSE = 'gemini_cli.api_response';
/** Who the event is filed under, most personal first (see otel-recorder.ts). */
const USER_KEYS = ['user.email', 'installation.id'];
/**
 * `gemini_cli.token.usage` point types → buckets. A point carries one type alone, so the cached part
 * of `input` cannot be taken out of it: `input` counts whole as uncached input (an upper bound on
 * its price) and `cache` points are not read. `thought` is billed as output, and is reasoning.
 */
const TOKEN_TYPES: Record<string, readonly (keyof TokenCounts)[]> = {
  input: ['inputTokens'],
  tool: ['inputTokens'],
  output: ['outputTokens'],
  thought: ['outputTokens', 'reasoningTokens'],
};

/**
 * Gemini CLI's OpenTelemetry export (`packages/core/src/telemetry`, checked against its 2026 sources;
 * README.md beside this file): one `gemini_cli.api_response` event per model response, its counts
 * ints, under the scope `gemini-cli`. The `gen_ai.client.inference.operation.details` record sent
 * beside it repeats the same request in GenAI terms and is not read (it would count it twice).
 */
export const geminiCliOtel: OtelAgent = {
  agent: AGENT,
  label: 'Gemini CLI (events gemini_cli.api_response; checked against its 2026 telemetry sources)',
  ownsRecord(record) {
    if (record.scope.name === 'gemini-cli' || record.resource['service.name'] === 'gemini-cli') return true;
    const name = record.attributes['event.name'];
    return typeof name === 'string' && name.startsWith('gemini_cli.');
  },
  fromRecord(record) {
    return record.attributes['event.name'] === API_RESPONSE ? apiResponse(record, Date.now()) : { kind: 'ignored' };
  },
  ownsPoint(point) {
    return point.metric.name.startsWith('gemini_cli.');
  },
  fromPoint(point) {
    if (point.metric.name !== 'gemini_cli.token.usage') return { kind: 'ignored' };
    const type = textOf(point.attributes, 'type');
    if (type === undefined) return { kind: 'rejected', reason: 'gemini_cli.token.usage: the type attribute is missing' };
    const buckets = Object.hasOwn(TOKEN_TYPES, type) ? TOKEN_TYPES[type] : undefined;
    if (buckets === undefined) return { kind: 'ignored' };
    return metricPointEvent(point, { agent: AGENT, provider: 'google', buckets, modelKey: 'model', userKeys: USER_KEYS }, Date.now());
  },
};

function apiResponse(record: OtlpLogRecord, now: number): RecordOutcome {
  const a = record.attributes;
  const model = textOf(a, 'model');
  if (model === undefined) return rejected('model is missing');
  const sessionId = textOf(a, 'session.id') ?? textOf(record.resource, 'session.id');
  if (sessionId === undefined) return rejected('session.id is missing');
  const read = allFields({
    input: countField(a, 'input_token_count', 'required'),
    output: countField(a, 'output_token_count', 'required'),
    cached: countField(a, 'cached_content_token_count'),
    thoughts: countField(a, 'thoughts_token_count'),
    tool: countField(a, 'tool_token_count'),
  });
  if ('problem' in read) return rejected(read.problem);
  const time = occurredAtField(record, now);
  if ('problem' in time) return rejected(time.problem);
  const n = read.value;
  // As the chat log: cached is part of input, tool-use prompt tokens are billed as input,
  // thinking is billed as output.
  const cached = Math.min(n.cached, n.input);
  const counts: TokenCounts = {
    inputTokens: n.input - cached + n.tool,
    outputTokens: n.output + n.thoughts,
    reasoningTokens: n.thoughts,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
  };
  if (billedTokens(counts) === 0) return { kind: 'ignored' };
  return {
    kind: 'usage',
    event: {
      agent: AGENT,
      provider: 'google',
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
  return { kind: 'rejected', reason: `${API_RESPONSE}: ${problem}` };
}
