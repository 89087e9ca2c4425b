import { usdToNanos } from '../../../ingest/usd-amount.js';
import { serviceTierOf } from '../../../core/service-tier.js';
import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import { otelSequenceKey } from '../otel-key.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { allFields, countField, eventNames, textOf, wholeOf } from '../record-fields.js';
import { type OtelSource, requestBasics, requestUsage } from '../request-usage.js';
import { type MetricReading, seriesEvent, seriesOfPoint } from './metric-series.js';

const AGENT = 'claude-code';
const SCOPE_PREFIX = 'com.anthropic.claude_code';
const API_REQUEST = 'claude_code.api_request';
/** Who the event is filed under, most personal first (see otel-recorder.ts). */
const USER_KEYS = ['user.email', 'user.account_uuid', 'user.id'];
const SOURCE: OtelSource = { agent: AGENT, provider: 'anthropic', userKeys: USER_KEYS };
/**
 * Claude Code's metrics: `claude_code.token.usage` by `type` (its `input` is uncached input, as in
 * the log; cache creation counts as 5-minute writes, as in the event) and `claude_code.cost.usage`.
 */
const METRICS: MetricReading = {
  tokens: 'claude_code.token.usage',
  cost: 'claude_code.cost.usage',
  typeKey: 'type',
  types: ['input', 'output', 'cacheRead', 'cacheCreation'],
  counts: (n) => ({
    inputTokens: n('input'),
    outputTokens: n('output'),
    reasoningTokens: 0,
    cacheWrite5mTokens: n('cacheCreation'),
    cacheWrite1hTokens: 0,
    cacheReadTokens: n('cacheRead'),
  }),
  filedUnder: () => ({ agent: AGENT, provider: 'anthropic' }),
  modelKey: 'model',
  userKeys: USER_KEYS,
};

/**
 * Claude Code's OpenTelemetry export (checked against 2.1.x; README.md beside this file): one
 * `claude_code.api_request` event per model request, its attributes all text, under the scope
 * `com.anthropic.claude_code.events`.
 */
export const claudeCodeOtel: OtelAgent = {
  agent: AGENT,
  label: 'Claude Code (events claude_code.api_request; checked against the 2.1.x docs)',
  ownsRecord(record) {
    return record.scope.name.startsWith(SCOPE_PREFIX) || record.resource['service.name'] === 'claude-code' || eventNames(record).some((n) => n.startsWith('claude_code.'));
  },
  fromRecord(record) {
    return isApiRequest(record) ? apiRequest(record, Date.now()) : { kind: 'ignored' };
  },
  ownsPoint(point) {
    return point.metric.name.startsWith('claude_code.');
  },
  seriesOf(point) {
    return seriesOfPoint(point, METRICS);
  },
  fromSeries(points) {
    return seriesEvent(points, METRICS, Date.now());
  },
};

function isApiRequest(record: OtlpLogRecord): boolean {
  const names = eventNames(record);
  return names.includes(API_REQUEST) || (names.includes('api_request') && record.scope.name.startsWith(SCOPE_PREFIX));
}

function apiRequest(record: OtlpLogRecord, now: number): RecordOutcome {
  const a = record.attributes;
  const basics = requestBasics(record, 'session.id', now);
  if ('problem' in basics) return rejected(basics.problem);
  const read = allFields({
    input: countField(a, 'input_tokens', 'required'),
    output: countField(a, 'output_tokens', 'required'),
    cacheRead: countField(a, 'cache_read_tokens'),
    cacheCreation: countField(a, 'cache_creation_tokens'),
  });
  if ('problem' in read) return rejected(read.problem);
  const n = read.value;
  let reportedCostNanos: number | undefined;
  if (a.cost_usd !== undefined && a.cost_usd !== null && a.cost_usd !== '') {
    const cost = usdToNanos(a.cost_usd);
    if ('problem' in cost) return rejected(`cost_usd ${cost.problem}`);
    reportedCostNanos = cost.nanos;
  }
  const { sessionId, occurredAt } = basics.value;
  const sequence = wholeOf(a, 'event.sequence');
  // `speed` is `fast` in fast mode, `normal` otherwise (the log says `standard`).
  const speed = textOf(a, 'speed');
  const serviceTier = speed === 'normal' ? undefined : serviceTierOf(speed);
  return requestUsage(
    SOURCE,
    record,
    basics.value,
    {
      inputTokens: n.input,
      outputTokens: n.output,
      reasoningTokens: 0,
      // The event carries no split of cache writes by lifetime: all count as 5-minute writes.
      cacheWrite5mTokens: n.cacheCreation,
      cacheWrite1hTokens: 0,
      cacheReadTokens: n.cacheRead,
    },
    {
      ...(sequence === undefined ? {} : { dedupKey: otelSequenceKey(AGENT, sessionId, sequence, occurredAt) }),
      ...(serviceTier === undefined ? {} : { serviceTier }),
      ...(reportedCostNanos === undefined ? {} : { reportedCostNanos }),
    },
  );
}

function rejected(problem: string): RecordOutcome {
  return { kind: 'rejected', reason: `${API_REQUEST}: ${problem}` };
}
