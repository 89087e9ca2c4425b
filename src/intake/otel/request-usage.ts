import { billedTokens, type TokenCounts, type UsageEvent } from '../../core/usage-event.js';
import type { RecordOutcome } from './otel-agent.js';
import { otelContentKey } from './otel-key.js';
import { otelRecorder } from './otel-recorder.js';
import type { OtlpLogRecord } from './otlp-record.js';
import { type Field, occurredAtField, requiredText } from './record-fields.js';

/** What every agent's request event names the same way: its model, its session and when it happened. */
export interface RequestBasics {
  model: string;
  sessionId: string;
  occurredAt: number;
}

/** Who an agent's events are filed under: its source id, the pricing provider and its user attributes. */
export interface OtelSource {
  agent: string;
  provider: string;
  /** Attributes naming the user, most personal first (see otel-recorder.ts). */
  userKeys: readonly string[];
}

/**
 * The model (`model`), the session (`sessionKey`, on the record or else its resource) and the time
 * of a request event, or the first of them that cannot be used.
 */
export function requestBasics(record: OtlpLogRecord, sessionKey: string, now: number): Field<RequestBasics> {
  const model = requiredText(record.attributes, 'model');
  if ('problem' in model) return model;
  const session = requiredText(record.attributes, sessionKey, record.resource);
  if ('problem' in session) return session;
  const time = occurredAtField(record, now);
  if ('problem' in time) return time;
  return { value: { model: model.value, sessionId: session.value, occurredAt: time.value } };
}

/**
 * One request as usage: its buckets under the source's agent and provider, filed under the
 * record's user; keyed by its content unless `extra` gives a key. A request that billed no token is
 * not usage (ignored).
 */
export function requestUsage(
  source: OtelSource,
  record: OtlpLogRecord,
  basics: RequestBasics,
  counts: TokenCounts,
  extra: Partial<Pick<UsageEvent, 'dedupKey' | 'serviceTier' | 'reportedCostNanos'>> = {},
): RecordOutcome {
  if (billedTokens(counts) === 0) return { kind: 'ignored' };
  const { model, sessionId, occurredAt } = basics;
  const event: UsageEvent = {
    agent: source.agent,
    provider: source.provider,
    model,
    sessionId,
    project: '',
    occurredAt,
    ...counts,
    dedupKey: extra.dedupKey ?? otelContentKey(source.agent, sessionId, occurredAt, model, counts),
    recordedBy: otelRecorder(record.attributes, record.resource, source.userKeys),
  };
  if (extra.serviceTier !== undefined) event.serviceTier = extra.serviceTier;
  if (extra.reportedCostNanos !== undefined) event.reportedCostNanos = extra.reportedCostNanos;
  return { kind: 'usage', event };
}
