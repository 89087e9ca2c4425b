import type { UsageEvent } from '../../core/usage-event.js';
import type { OtlpLogRecord, OtlpMetricPoint } from './otlp-record.js';

/**
 * What the intake makes of one record an agent claims:
 * - `usage`: a billed request, to be priced and recorded;
 * - `ignored`: the agent's record, but not usage (a prompt, a tool result, a metric the intake does
 *   not read); accepted and not counted;
 * - `rejected`: the agent's record of usage, but unusable (a count that is not a number, no model,
 *   no session); reported back in the reply's `partialSuccess` and recorded as a drop with `reason`.
 */
export type RecordOutcome = { kind: 'usage'; event: UsageEvent } | { kind: 'ignored' } | { kind: 'rejected'; reason: string };

/**
 * One agent's OpenTelemetry export, as the intake reads it (a registry entry in `agents/index.ts`).
 * An agent owns only what differs: which records are its own, and how one becomes a `UsageEvent`
 * (buckets, dedup key, user). Decoding, routing, replies and recording are the intake's.
 */
export interface OtelAgent {
  /** The source id its events are filed under (`claude-code`, `codex-cli`, `gemini-cli`). */
  readonly agent: string;
  /** Shown by `--help` and the README: the agent and the versions whose export was checked. */
  readonly label: string;
  /** Whether the log record is this agent's at all (by scope, `service.name` or event name). */
  ownsRecord(record: OtlpLogRecord): boolean;
  /** The record as usage (or why not); called only for records `ownsRecord` accepted. */
  fromRecord(record: OtlpLogRecord): RecordOutcome;
  /**
   * Metrics ingestion, off by default and only for agents that export no events: whether the
   * point is this agent's (read or not). Absent: the agent's metrics are never read.
   */
  ownsPoint?(point: OtlpMetricPoint): boolean;
  /**
   * The request window a point of this agent belongs to: the points of one series but for the
   * token type attribute, with one start, time and temporality, and its cost point, share one
   * `series` text; or why the point is not read (`agents/metric-series.ts` does this for every agent).
   */
  seriesOf?(point: OtlpMetricPoint): SeriesOutcome;
  /** The points of one window (those `seriesOf` gave one series) as one usage event, or why not. */
  fromSeries?(points: readonly OtlpMetricPoint[]): RecordOutcome;
}

/** Where a metric point goes: into the window named `series`, or nowhere (as a record outcome). */
export type SeriesOutcome = { kind: 'series'; series: string } | { kind: 'ignored' } | { kind: 'rejected'; reason: string };
