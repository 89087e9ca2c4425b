import type { UsageEvent } from '../../core/usage-event.js';
import { type OriginContent, type RecordTarget, recordOrigins } from '../../ingest/record.js';
import type { DroppedRecord } from '../../ledger/ledger.js';
import type { OtelAgent, RecordOutcome } from './otel-agent.js';
import { partialMessage } from './otlp-partial.js';
import type { PartialSuccess } from './otlp-response.js';
import type { AnyValue, Attributes, DecodedLogs, DecodedMetrics, OtlpLogRecord, OtlpMetricPoint } from './otlp-record.js';

/** Where the intake records, and what it reads. */
export interface OtlpIntake {
  target: RecordTarget;
  /** The agents whose records it reads (the registry, `OTEL_AGENTS`). */
  agents: readonly OtelAgent[];
  /** The agents whose metrics are read (off by default: agents export events too, and both would count twice). */
  metricsAgents: ReadonlySet<string>;
}

/** What one export request became. */
export interface IntakeResult {
  /** Usage events (one per record, or per metric window), and of those, how many the ledger did not hold yet. */
  usage: number;
  inserted: number;
  /** The agents' records (or points) that are not usage (prompts, tool results, metrics not read). */
  ignored: number;
  /** The agents' usage records that could not be used (recorded as drops). */
  rejected: number;
  /** Records no agent claims: kept out. */
  unknown: number;
  /** What the reply's `partialSuccess` says; undefined when everything was taken. */
  partial: PartialSuccess | undefined;
  /** The drops recorded (for `--verbose`). */
  drops: DroppedRecord[];
}

/** The origin an agent's OTLP records are filed under. */
export function otlpOrigin(agent: string): string {
  return `otlp:${agent}`;
}

/** Reads the log records of one request and records their usage in one commit. */
export async function takeLogs(intake: OtlpIntake, logs: DecodedLogs): Promise<IntakeResult> {
  const sorted = new Sorting('record');
  for (const record of logs.records) {
    const agent = intake.agents.find((a) => a.ownsRecord(record));
    if (agent === undefined) sorted.unknown(record.resource, record.scope.name);
    else sorted.add(agent.agent, agent.fromRecord(record), () => recordPlace(record));
  }
  return sorted.record(intake.target);
}

/**
 * Reads the metric points of one request: only the points of agents whose metrics are enabled
 * become usage, one event per request window (its token points by type and its cost point,
 * grouped by the agent's `seriesOf`).
 */
export async function takeMetrics(intake: OtlpIntake, metrics: DecodedMetrics): Promise<IntakeResult> {
  const sorted = new Sorting('data point');
  const windows = new Map<string, { agent: OtelAgent; points: OtlpMetricPoint[] }>();
  for (const point of metrics.points) {
    const agent = intake.agents.find((a) => a.ownsPoint?.(point) === true);
    if (agent === undefined) {
      // An agent whose metrics are not read still sends them (Codex): its own, by resource or scope, not unknown.
      if (intake.agents.some((a) => a.ownsRecord(bareRecord(point)))) sorted.add('', { kind: 'ignored' }, () => '');
      else sorted.unknown(point.resource, point.scope.name);
      continue;
    }
    if (!intake.metricsAgents.has(agent.agent) || agent.seriesOf === undefined || agent.fromSeries === undefined) {
      sorted.add(agent.agent, { kind: 'ignored' }, () => '');
      continue;
    }
    const series = agent.seriesOf(point);
    if (series.kind !== 'series') {
      sorted.add(agent.agent, series, () => pointPlace(point));
      continue;
    }
    const key = `${agent.agent}\u0000${series.series}`;
    const window = windows.get(key);
    if (window === undefined) windows.set(key, { agent, points: [point] });
    else window.points.push(point);
  }
  for (const { agent, points } of windows.values()) {
    sorted.add(agent.agent, agent.fromSeries?.(points) ?? { kind: 'ignored' }, () => pointPlace(points[0] as OtlpMetricPoint), points.length);
  }
  return sorted.record(intake.target);
}

/** The outcomes of one request's records, by agent, until they are committed. */
class Sorting {
  readonly #unit: string;
  readonly #byAgent = new Map<string, { events: UsageEvent[]; drops: DroppedRecord[] }>();
  readonly #unknown = new Map<string, number>();
  readonly #rejectedReasons = new Map<string, number>();
  #ignored = 0;

  constructor(unit: string) {
    this.#unit = unit;
  }

  unknown(resource: Attributes, scopeName: string): void {
    const who = serviceOf(resource, scopeName);
    this.#unknown.set(who, (this.#unknown.get(who) ?? 0) + 1);
  }

  /** `records`: how many records (or points: a metric window's) the outcome stands for. */
  add(agent: string, outcome: RecordOutcome, place: () => string, records = 1): void {
    if (outcome.kind === 'ignored') {
      this.#ignored += records;
      return;
    }
    let part = this.#byAgent.get(agent);
    if (part === undefined) {
      part = { events: [], drops: [] };
      this.#byAgent.set(agent, part);
    }
    if (outcome.kind === 'usage') part.events.push(outcome.event);
    else {
      const origin = otlpOrigin(agent);
      part.drops.push({ path: origin, line: 0, reason: bounded(`${place()}: ${outcome.reason}`) });
      const key = `${agent}: ${outcome.reason}`;
      this.#rejectedReasons.set(key, (this.#rejectedReasons.get(key) ?? 0) + records);
    }
  }

  async record(target: RecordTarget): Promise<IntakeResult> {
    const parts: OriginContent[] = [...this.#byAgent].map(([agent, p]) => ({ origin: otlpOrigin(agent), events: p.events, drops: p.drops }));
    const usage = parts.reduce((n, p) => n + p.events.length, 0);
    const drops = parts.flatMap((p) => p.drops);
    const committed = parts.length === 0 ? undefined : await recordOrigins(target, parts);
    const unknown = [...this.#unknown.values()].reduce((a, b) => a + b, 0);
    return {
      usage,
      inserted: committed === undefined ? 0 : committed.inserted + committed.replaced,
      ignored: this.#ignored,
      rejected: drops.length,
      unknown,
      partial: partialMessage(this.#unit, this.#rejectedReasons, this.#unknown),
      drops,
    };
  }
}

/** Who sent records no agent claims: their `service.name`, else their scope's name. */
function serviceOf(resource: Attributes, scopeName: string): string {
  const service = resource['service.name'];
  if (typeof service === 'string' && service !== '') return `service.name=${bounded(service, 60)}`;
  return scopeName === '' ? 'no service.name' : `scope ${bounded(scopeName, 60)}`;
}

/** A record as a drop names it, beside the agent's reason (which names the event): its time and sequence, what tells one record of a session from another. */
function recordPlace(record: OtlpLogRecord): string {
  const sequence = text(record.attributes['event.sequence']);
  return `record at ${nanosIso(record.timeUnixNano)}${sequence === undefined ? '' : ` (event.sequence ${sequence})`}`;
}

/** A point's resource and scope as a record with nothing else: what an agent that reads no metrics may still recognise as its own. */
function bareRecord(point: OtlpMetricPoint): OtlpLogRecord {
  return { resource: point.resource, scope: point.scope, timeUnixNano: 0n, observedTimeUnixNano: 0n, eventName: '', severityText: '', body: null, attributes: {} };
}

function pointPlace(point: OtlpMetricPoint): string {
  return `${point.metric.name} point at ${nanosIso(point.timeUnixNano)}`;
}

function text(value: AnyValue | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function nanosIso(nanos: bigint): string {
  if (nanos <= 0n) return 'no time';
  const ms = Number(nanos / 1_000_000n);
  return Number.isFinite(ms) && ms < 8.64e15 ? new Date(ms).toISOString() : `${nanos} ns`;
}

function bounded(s: string, max = 300): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
