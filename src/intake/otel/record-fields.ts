import { isTokenCount, MAX_TOKENS_TEXT } from '../../core/event-bounds.js';
import { occurredAtProblem } from '../../core/occurred-at.js';
import type { AnyValue, Attributes, OtlpLogRecord } from './otlp-record.js';

/**
 * Reading the fields of an agent's OpenTelemetry record the same way for every agent. Agents send
 * numbers either as OTLP ints or as decimal text (Claude Code's event attributes are all strings,
 * Codex formats some counts with `Display`), so both are read; anything else is a reason to reject.
 */

/** A field's value or why it cannot be used (the message names the field). */
export type Field<T> = { value: T } | { problem: string };

const WHOLE = /^(0|[1-9][0-9]{0,15})$/;

/**
 * A token count: an int or decimal text of a whole number from 0 to 10^9. Absent (or null) is
 * `absent` (0 for optional counts, a problem for required ones).
 */
export function countField(attributes: Attributes, key: string, absent: number | 'required' = 0): Field<number> {
  const raw = attributes[key];
  if (raw === undefined || raw === null || raw === '') {
    return absent === 'required' ? { problem: `${key} is missing` } : { value: absent };
  }
  const value = typeof raw === 'string' && WHOLE.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (isTokenCount(value)) return { value };
  return { problem: `${key} must be a whole number of tokens from 0 to ${MAX_TOKENS_TEXT} (got ${shown(raw)})` };
}

/** Every field's value by name, or the first field's problem. */
export function allFields<K extends string>(fields: Record<K, Field<number>>): Field<Record<K, number>> {
  const values = {} as Record<K, number>;
  for (const name of Object.keys(fields) as K[]) {
    const field = fields[name];
    if ('problem' in field) return field;
    values[name] = field.value;
  }
  return { value: values };
}

/** A text attribute, trimmed; undefined when absent, empty or not text. */
export function textOf(attributes: Attributes, key: string): string | undefined {
  const raw = attributes[key];
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  return text === '' ? undefined : text;
}

/** A whole number attribute (int or decimal text), e.g. `event.sequence`; undefined otherwise. */
export function wholeOf(attributes: Attributes, key: string): number | undefined {
  const raw = attributes[key];
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  if (typeof raw === 'string' && WHOLE.test(raw.trim())) {
    const value = Number(raw.trim());
    return Number.isSafeInteger(value) ? value : undefined;
  }
  return undefined;
}

/**
 * The name an agent gave its event, wherever it put it: the record's `event_name` (OTLP 1.5+), the
 * body when it is a short dotted name (Claude Code: `claude_code.api_request`), or the
 * `event.name` attribute (Codex and Gemini CLI: the full name; Claude Code: `api_request`).
 */
export function eventNames(record: OtlpLogRecord): string[] {
  const names: string[] = [];
  if (record.eventName !== '') names.push(record.eventName);
  if (typeof record.body === 'string' && record.body.length <= 128 && /^[a-z0-9_.]+$/i.test(record.body)) names.push(record.body);
  const attribute = record.attributes['event.name'];
  if (typeof attribute === 'string' && attribute !== '') names.push(attribute);
  return names;
}

/** Nanoseconds since the epoch (bigint, 0n when unset) → epoch milliseconds, or undefined. */
export function nanosToMs(nanos: bigint): number | undefined {
  return nanos > 0n ? Number(nanos / 1_000_000n) : undefined;
}

/**
 * When the request happened: the `event.timestamp` attribute (ISO-8601, what the agents stamp
 * their events with), else the record's time, else the time the exporter observed it; bounded as
 * every event is (not before 2000, not more than a day ahead of this machine's clock).
 */
export function occurredAtField(record: OtlpLogRecord, now: number): Field<number> {
  const stamped = record.attributes['event.timestamp'];
  let ms: number | undefined;
  let from = 'event.timestamp';
  if (typeof stamped === 'string' && stamped.trim() !== '') {
    ms = Date.parse(stamped.trim());
    if (!Number.isFinite(ms)) return { problem: `event.timestamp is not an ISO-8601 time (got ${shown(stamped)})` };
  } else {
    ms = nanosToMs(record.timeUnixNano);
    from = 'the record time (time_unix_nano)';
    if (ms === undefined) {
      ms = nanosToMs(record.observedTimeUnixNano);
      from = 'the observed time (observed_time_unix_nano)';
    }
  }
  if (ms === undefined) return { problem: 'the record has no time: no event.timestamp, time_unix_nano or observed_time_unix_nano' };
  const problem = occurredAtProblem(ms, now);
  return problem === undefined ? { value: ms } : { problem: `${from} ${problem}` };
}

/** A value as a short, printable part of a reason. */
export function shown(value: AnyValue | undefined): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
