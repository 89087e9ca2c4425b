import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { allFields, countField } from '../record-fields.js';
import { type OtelSource, requestBasics, requestUsage } from '../request-usage.js';
import { type MetricReading, seriesEvent, seriesOfPoint } from './metric-series.js';

const AGENT = 'gemini-cli';
const API_RESPONSE = 'gemini_cli.api_response';
/** Who the event is filed under, most personal first (see otel-recorder.ts). */
const USER_KEYS = ['user.email', 'installation.id'];
const SOURCE: OtelSource = { agent: AGENT, provider: 'google', userKeys: USER_KEYS };
/**
 * Gemini CLI's metrics: `gemini_cli.token.usage` by `type`, read as its `api_response` event is
 * (`input` includes `cache`; `tool` is billed as input; `thought` as output, and is reasoning).
 * It sends no cost metric.
 */
const METRICS: MetricReading = {
  tokens: 'gemini_cli.token.usage',
  typeKey: 'type',
  types: ['input', 'output', 'cache', 'thought', 'tool'],
  counts: (n) => {
    const cached = Math.min(n('cache'), n('input'));
    return {
      inputTokens: n('input') - cached + n('tool'),
      outputTokens: n('output') + n('thought'),
      reasoningTokens: n('thought'),
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: cached,
    };
  },
  filedUnder: () => ({ agent: AGENT, provider: 'google' }),
  modelKey: 'model',
  userKeys: USER_KEYS,
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
  seriesOf(point) {
    return seriesOfPoint(point, METRICS);
  },
  fromSeries(points) {
    return seriesEvent(points, METRICS, Date.now());
  },
};

function apiResponse(record: OtlpLogRecord, now: number): RecordOutcome {
  const a = record.attributes;
  const basics = requestBasics(record, 'session.id', now);
  if ('problem' in basics) return rejected(basics.problem);
  const read = allFields({
    input: countField(a, 'input_token_count', 'required'),
    output: countField(a, 'output_token_count', 'required'),
    cached: countField(a, 'cached_content_token_count'),
    thoughts: countField(a, 'thoughts_token_count'),
    tool: countField(a, 'tool_token_count'),
  });
  if ('problem' in read) return rejected(read.problem);
  const n = read.value;
  // As the chat log: cached is part of input, tool-use prompt tokens are billed as input,
  // thinking is billed as output.
  const cached = Math.min(n.cached, n.input);
  return requestUsage(SOURCE, record, basics.value, {
    inputTokens: n.input - cached + n.tool,
    outputTokens: n.output + n.thoughts,
    reasoningTokens: n.thoughts,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
  });
}

function rejected(problem: string): RecordOutcome {
  return { kind: 'rejected', reason: `${API_RESPONSE}: ${problem}` };
}
