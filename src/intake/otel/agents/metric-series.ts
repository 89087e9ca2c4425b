import { isTokenCount, MAX_TOKENS_TEXT } from '../../../core/event-bounds.js';
import { occurredAtProblem } from '../../../core/occurred-at.js';
import { usdDoubleToNanos } from '../../../core/usd-double.js';
import { billedTokens, type TokenCounts } from '../../../core/usage-event.js';
import { sha256 } from '../../../ingest/event-key.js';
import type { RecordOutcome, SeriesOutcome } from '../otel-agent.js';
import { otelRecorder } from '../otel-recorder.js';
import type { Attributes, OtlpMetricPoint } from '../otlp-record.js';
import { MAX_NAME_TEXT, nanosToMs, requiredText, textOf } from '../record-fields.js';

/** How one agent's token and cost counters read: what differs between agents, and nothing else. */
export interface MetricReading {
  /** The token counter (a monotonic sum, one point per type). */
  tokens: string;
  /** The cost counter, in US dollars, on the same series without the type attribute; absent: none. */
  cost?: string;
  /** The attribute naming a token point's type (`type`, `tokenledger.token.type`). */
  typeKey: string;
  /** The types read; a point of any other type is ignored. */
  types: readonly string[];
  /** A window's buckets from its tokens by type (0 for a type not sent). */
  counts(tokens: (type: string) => number): TokenCounts;
  /** The agent and provider a window is filed under, from its attributes, or why it cannot be. */
  filedUnder(attributes: Attributes): { agent: string; provider: string } | { problem: string };
  /** The attribute naming the model (`model`, `gen_ai.request.model`). */
  modelKey: string;
  /** Who recorded it, most personal first (see otel-recorder.ts). */
  userKeys: readonly string[];
}

/** The session of a point that names none. */
export const METRIC_SESSION = 'otel-metrics';

/**
 * A point's window: its series without the type attribute (a digest of the token counter's name,
 * the resource and the other attributes), temporality and time. The token points of one collection
 * and its cost point share it and become one event. The start time is not part of it: the
 * OpenTelemetry SDK starts each attribute set's series when it is first recorded, so the `input`
 * and the `cacheCreation` series of one session (or the cost's) may start a few milliseconds, or
 * requests, apart, while one collection gives all of them one time.
 */
export function seriesOfPoint(point: OtlpMetricPoint, reading: MetricReading): SeriesOutcome {
  const name = point.metric.name;
  const rejected = (problem: string): SeriesOutcome => ({ kind: 'rejected', reason: `${name}: ${problem}` });
  if (name === reading.tokens) {
    const type = textOf(point.attributes, reading.typeKey);
    if (type === undefined) return rejected(`the ${reading.typeKey} attribute is missing`);
    if (!reading.types.includes(type)) return { kind: 'ignored' };
  } else if (name !== reading.cost) return { kind: 'ignored' };
  if (point.metric.kind !== 'sum' || !point.metric.monotonic) return rejected('must be a monotonic sum (a counter)');
  const temporality = point.metric.temporality;
  if (temporality === 'unspecified') return rejected('has no aggregation temporality (delta or cumulative)');
  return { kind: 'series', series: `${temporality}:${seriesDigest(point, reading)}:${point.timeUnixNano}` };
}

/**
 * One window's points (`seriesOfPoint` gave them one series) as one usage event, with no state kept
 * between requests, so a restart or a redelivered batch changes nothing:
 *
 * - cumulative: keyed `otel-metric:<series>:<start time>`, the earliest start of the window's
 *   points; its tokens and cost are the totals so far. Each later collection carries larger totals
 *   under the same key (a series that appears later starts later, and leaves the earliest as it
 *   was), and the ledger keeps the copy with the most billed tokens: the latest. A reset (the agent
 *   restarted: every series starts again) starts a new key. The whole total is dated at the latest
 *   collection;
 * - delta: keyed `otel-metric:<series>:<start time>:<time>`, each window its own event.
 *
 * A type sent twice in one window (a batch repeated within a request) counts once: the larger.
 */
export function seriesEvent(points: readonly OtlpMetricPoint[], reading: MetricReading, now: number): RecordOutcome {
  const rejected = (problem: string): RecordOutcome => ({ kind: 'rejected', reason: `${reading.tokens}: ${problem}` });
  const byType = new Map<string, number>();
  let costUsd: number | undefined;
  let first: OtlpMetricPoint | undefined;
  let start: bigint | undefined;
  for (const point of points) {
    first ??= point;
    if (start === undefined || point.startTimeUnixNano < start) start = point.startTimeUnixNano;
    if (point.metric.name !== reading.tokens) {
      if (!Number.isFinite(point.value) || point.value < 0) return { kind: 'rejected', reason: `${point.metric.name}: the value must be an amount of US dollars from 0 (got ${point.value})` };
      costUsd = Math.max(costUsd ?? 0, point.value);
      continue;
    }
    if (!isTokenCount(point.value)) return rejected(`the value must be a whole number of tokens from 0 to ${MAX_TOKENS_TEXT} (got ${point.value})`);
    const type = textOf(point.attributes, reading.typeKey) as string;
    byType.set(type, Math.max(byType.get(type) ?? 0, point.value));
  }
  if (first === undefined) return { kind: 'ignored' };
  const counts = reading.counts((type) => byType.get(type) ?? 0);
  for (const [bucket, value] of Object.entries(counts)) if (!isTokenCount(value)) return rejected(`the window's ${bucket} come to ${value}, above ${MAX_TOKENS_TEXT}`);
  if (counts.reasoningTokens > counts.outputTokens) return rejected(`reasoning (${counts.reasoningTokens}) must not exceed output (${counts.outputTokens}): output includes reasoning`);
  if (billedTokens(counts) === 0) return { kind: 'ignored' };
  const filed = reading.filedUnder(first.attributes);
  if ('problem' in filed) return rejected(filed.problem);
  const model = requiredText(first.attributes, reading.modelKey);
  if ('problem' in model) return rejected(model.problem);
  const occurredAt = nanosToMs(first.timeUnixNano);
  if (occurredAt === undefined) return rejected('the point has no time (time_unix_nano)');
  const problem = occurredAtProblem(occurredAt, now);
  if (problem !== undefined) return rejected(`the point time ${problem}`);
  let reportedCostNanos: number | undefined;
  if (costUsd !== undefined) {
    reportedCostNanos = usdDoubleToNanos(costUsd);
    if (reportedCostNanos === undefined) return { kind: 'rejected', reason: `${reading.cost}: the value ${costUsd} is above the largest amount kept` };
  }
  const series = seriesDigest(first, reading);
  const dedupKey = first.metric.temporality === 'cumulative' ? `otel-metric:${series}:${start}` : `otel-metric:${series}:${start}:${first.timeUnixNano}`;
  return {
    kind: 'usage',
    event: {
      agent: filed.agent,
      provider: filed.provider,
      model: model.value,
      sessionId: sessionOf(first),
      project: '',
      occurredAt,
      ...counts,
      dedupKey,
      ...(reportedCostNanos === undefined ? {} : { reportedCostNanos }),
      recordedBy: otelRecorder(first.attributes, first.resource, reading.userKeys),
    },
  };
}

/** The series a point belongs to but for its type: the token counter's name, the resource and the other attributes, in a sorted order. */
function seriesDigest(point: OtlpMetricPoint, reading: MetricReading): string {
  return sha256(JSON.stringify([reading.tokens, sorted(point.resource), sorted(point.attributes, reading.typeKey)]));
}

/** Attributes as sorted key/value pairs, `without` left out: the same series whatever order the exporter wrote them in. */
function sorted(attributes: Attributes, without?: string): [string, unknown][] {
  return Object.keys(attributes)
    .filter((key) => key !== without)
    .sort()
    .map((key) => [key, attributes[key]]);
}

/** The point's `session.id` (attribute, else resource), else `otel-metrics`. */
function sessionOf(point: OtlpMetricPoint): string {
  const session = textOf(point.attributes, 'session.id') ?? textOf(point.resource, 'session.id');
  return session === undefined || session.length > MAX_NAME_TEXT ? METRIC_SESSION : session;
}
