import { isTokenCount, MAX_TOKENS_TEXT } from '../../../core/event-bounds.js';
import { occurredAtProblem } from '../../../core/occurred-at.js';
import { emptyTokens, type TokenCounts } from '../../../core/usage-event.js';
import { sha256 } from '../../../ingest/event-key.js';
import type { RecordOutcome } from '../otel-agent.js';
import { otelRecorder } from '../otel-recorder.js';
import type { Attributes, OtlpMetricPoint } from '../otlp-record.js';
import { nanosToMs, textOf } from '../record-fields.js';

/** What one agent's token counter point means: whose it is and which buckets its value fills. */
export interface PointMeaning {
  agent: string;
  provider: string;
  /** The buckets the value counts in (a thought point: output and, within it, reasoning). */
  buckets: readonly (keyof TokenCounts)[];
  /** The attribute naming the model (`model`, or `gen_ai.request.model`). */
  modelKey: string;
  userKeys: readonly string[];
}

/** The session of a point that names none. */
export const METRIC_SESSION = 'otel-metrics';

/**
 * One point of a token counter (a monotonic sum) as a usage event, with no state kept between
 * points, so a restart or a redelivered batch changes nothing:
 *
 * - a cumulative point is keyed `otel-metric:<series>:<start time>`, `<series>` a digest of the
 *   metric name, the resource and the point's attributes; its tokens are the series' total so far.
 *   Each later point of the series carries a larger total under the same key, and the ledger keeps
 *   the copy with the most billed tokens: the latest. A reset (a new start time) starts a new key.
 *   The whole total is dated at the latest point;
 * - a delta point is keyed `otel-metric:<series>:<start time>:<time>`: each is its own event.
 */
export function metricPointEvent(point: OtlpMetricPoint, meaning: PointMeaning, now: number): RecordOutcome {
  const name = point.metric.name;
  const rejected = (problem: string): RecordOutcome => ({ kind: 'rejected', reason: `${name}: ${problem}` });
  if (point.metric.kind !== 'sum' || !point.metric.monotonic) return rejected('must be a monotonic sum (a counter)');
  const temporality = point.metric.temporality;
  if (temporality === 'unspecified') return rejected('has no aggregation temporality (delta or cumulative)');
  if (!isTokenCount(point.value)) return rejected(`the value must be a whole number of tokens from 0 to ${MAX_TOKENS_TEXT} (got ${point.value})`);
  if (point.value === 0) return { kind: 'ignored' };
  const model = textOf(point.attributes, meaning.modelKey);
  if (model === undefined) return rejected(`${meaning.modelKey} is missing`);
  const occurredAt = nanosToMs(point.timeUnixNano);
  if (occurredAt === undefined) return rejected('the point has no time (time_unix_nano)');
  const problem = occurredAtProblem(occurredAt, now);
  if (problem !== undefined) return rejected(`the point time ${problem}`);
  const series = sha256(JSON.stringify([name, sorted(point.resource), sorted(point.attributes)]));
  const start = point.startTimeUnixNano.toString();
  const dedupKey = temporality === 'cumulative' ? `otel-metric:${series}:${start}` : `otel-metric:${series}:${start}:${point.timeUnixNano}`;
  const counts = emptyTokens();
  for (const bucket of meaning.buckets) counts[bucket] = point.value;
  return {
    kind: 'usage',
    event: {
      agent: meaning.agent,
      provider: meaning.provider,
      model,
      sessionId: textOf(point.attributes, 'session.id') ?? textOf(point.resource, 'session.id') ?? METRIC_SESSION,
      project: '',
      occurredAt,
      ...counts,
      dedupKey,
      recordedBy: otelRecorder(point.attributes, point.resource, meaning.userKeys),
    },
  };
}

/** Attributes as sorted key/value pairs: the same series whatever order the exporter wrote them in. */
function sorted(attributes: Attributes): [string, unknown][] {
  return Object.keys(attributes)
    .sort()
    .map((key) => [key, attributes[key]]);
}
