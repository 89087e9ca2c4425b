import type { FileParser, RecordSink, SourceFile } from '../../core/source.js';
import type { RateLimitWindow } from '../../core/usage-event.js';
import { parseObjectRecords } from '../shared/json-line.js';
import { isTokenCount } from '../../core/event-bounds.js';
import { readRunningTotal } from '../shared/numbers.js';
import { parseTimestamp, timestampOutOfBounds } from '../shared/timestamp.js';
import { sessionIdFromPath } from './paths.js';

export const AGENT = 'codex-cli';
const PROVIDER = 'openai';
/** Rollouts written before Codex logged its model ran on this default. */
export const ASSUMED_MODEL = 'gpt-5';
/** A forked rollout opens by re-emitting its parent's usage within a burst this short. */
const REPLAY_BURST_MS = 1_000;

const MARKERS = ['"token_count"', '"turn_context"', '"session_meta"'] as const;

interface Totals {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  total: number;
}

/** What a resumed read needs from the lines already consumed. */
export interface CodexState {
  sessionId: string;
  project: string;
  model: string | null;
  previous: Totals | null;
  /** Session this rollout was forked from, if any. */
  parentId: string | null;
  /** While true, usage events are still the fork's replay of the parent's history. */
  inReplay: boolean;
  /** When the rollout began (its session_meta), the start of a fork's replay burst. */
  startedAt: number | null;
  lastUsageAt: number | null;
  /** The last rate-limit reading recorded, so an unchanged one is not stored again. */
  lastRateLimits: string | null;
}

type Raw = Record<string, unknown>;

export function openParser(file: SourceFile, saved: unknown): FileParser {
  const state: CodexState = isState(saved)
    ? { ...saved }
    : { sessionId: sessionIdFromPath(file.path), project: '', model: null, previous: null, parentId: null, inReplay: false, startedAt: null, lastUsageAt: null, lastRateLimits: null };

  const line = (bytes: Buffer, start: number, end: number, sink: RecordSink): void => {
    for (const record of parseObjectRecords(bytes, start, end, sink)) one(record, sink);
  };

  const one = (record: Raw, sink: RecordSink): void => {
    const payload = record.payload as Raw | undefined;
    if (payload === null || typeof payload !== 'object') return;

    if (record.type === 'session_meta') {
      if (typeof payload.id === 'string' && payload.id !== '') state.sessionId = payload.id;
      if (typeof payload.cwd === 'string') state.project = payload.cwd;
      state.startedAt = parseTimestamp(payload.timestamp) ?? parseTimestamp(record.timestamp) ?? null;
      const parent = forkParent(payload);
      if (parent !== null) {
        state.parentId = parent;
        state.inReplay = true;
      }
      return;
    }
    if (record.type === 'turn_context') {
      const model = modelOf(payload);
      if (model !== null) state.model = model;
      if (state.project === '' && typeof payload.cwd === 'string') state.project = payload.cwd;
      return;
    }
    if (record.type !== 'event_msg' || payload.type !== 'token_count') return;

    const occurredAt = parseTimestamp(record.timestamp);
    if (occurredAt === undefined) {
      sink.drop('token_count without a valid timestamp');
      return;
    }
    const outOfBounds = timestampOutOfBounds(occurredAt);
    if (outOfBounds !== undefined) {
      sink.drop(outOfBounds);
      return;
    }
    recordRateLimits(payload.rate_limits, occurredAt, state, sink);

    const info = payload.info as Raw | null | undefined;
    if (info === null || info === undefined || typeof info !== 'object') return;
    const total = info.total_token_usage === undefined || info.total_token_usage === null ? null : readTotals(info.total_token_usage);
    const last = info.last_token_usage === undefined || info.last_token_usage === null ? null : readTotals(info.last_token_usage);
    if (total === undefined || last === undefined || (total === null && last === null)) {
      sink.drop('token_count with unreadable token usage');
      return;
    }

    let usage: Totals;
    if (total !== null) {
      // A re-emitted event carries the same cumulative total: it adds nothing.
      if (state.previous !== null && sameTotals(total, state.previous)) return;
      usage = last ?? difference(total, state.previous);
      state.previous = total;
    } else {
      usage = last as Totals;
    }

    const model = modelOf(payload) ?? modelOf(info) ?? state.model;
    if (model !== null) state.model = model;

    // The replay is one burst right at the fork's start; the first gap ends it for good.
    const previousAt = state.lastUsageAt ?? state.startedAt;
    if (state.inReplay && (previousAt === null || occurredAt - previousAt > REPLAY_BURST_MS)) state.inReplay = false;
    state.lastUsageAt = occurredAt;

    if (!isTokenCount(usage.input) || !isTokenCount(usage.output)) {
      sink.drop('token_count with one request above 10^9 tokens in a field');
      return;
    }
    const cached = Math.min(usage.cached, usage.input);
    const reasoning = Math.min(usage.reasoning, usage.output);
    if (usage.input + usage.output === 0) return;

    // The cumulative total identifies a request within its session; a fork's replayed prefix
    // belongs to the parent session, so it is keyed there and counted once.
    const scope = state.inReplay && state.parentId !== null ? state.parentId : state.sessionId;
    const dedupKey = total !== null ? `${AGENT}:${scope}:${total.total}` : `${AGENT}:${scope}:at:${occurredAt}:${usage.total}`;

    sink.usage({
      agent: AGENT,
      provider: PROVIDER,
      model: model ?? ASSUMED_MODEL,
      sessionId: state.sessionId,
      project: state.project,
      occurredAt,
      dedupKey,
      inputTokens: usage.input - cached,
      outputTokens: usage.output,
      reasoningTokens: reasoning,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: cached,
    });
  };

  return {
    markers: MARKERS,
    line,
    document: (): boolean => {
      throw new Error('Codex rollouts are line files');
    },
    state: () => ({ ...state }),
  };
}

/**
 * Token counts of a `token_count` (a request's or the session's running totals, which may pass one
 * request's bound: the request's own usage is bounded once it is known).
 */
function readTotals(value: unknown): Totals | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const raw = value as Raw;
  const input = readRunningTotal(raw.input_tokens);
  const cached = readRunningTotal(raw.cached_input_tokens);
  const output = readRunningTotal(raw.output_tokens);
  const reasoning = readRunningTotal(raw.reasoning_output_tokens);
  const total = raw.total_tokens === undefined ? (input ?? 0) + (output ?? 0) : readRunningTotal(raw.total_tokens);
  if (input === undefined || cached === undefined || output === undefined || reasoning === undefined || total === undefined) return undefined;
  return { input, cached, output, reasoning, total };
}

function difference(now: Totals, before: Totals | null): Totals {
  if (before === null) return now;
  return {
    input: Math.max(0, now.input - before.input),
    cached: Math.max(0, now.cached - before.cached),
    output: Math.max(0, now.output - before.output),
    reasoning: Math.max(0, now.reasoning - before.reasoning),
    total: Math.max(0, now.total - before.total),
  };
}

function sameTotals(a: Totals, b: Totals): boolean {
  return a.total === b.total && a.input === b.input && a.output === b.output && a.cached === b.cached && a.reasoning === b.reasoning;
}

function modelOf(payload: Raw): string | null {
  for (const candidate of [payload.model, payload.model_name, (payload.metadata as Raw | undefined)?.model]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}

function forkParent(meta: Raw): string | null {
  if (typeof meta.forked_from_id === 'string' && meta.forked_from_id !== '') return meta.forked_from_id;
  const spawn = ((meta.source as Raw | undefined)?.subagent as Raw | undefined)?.thread_spawn as Raw | undefined;
  const parent = spawn?.parent_thread_id;
  return typeof parent === 'string' && parent !== '' ? parent : null;
}

/** Records a rate-limit reading when it differs from the last one (Codex repeats them on every count). */
function recordRateLimits(value: unknown, occurredAt: number, state: CodexState, sink: RecordSink): void {
  if (value === null || typeof value !== 'object') return;
  const limits = value as Raw;
  const windows: RateLimitWindow[] = [];
  for (const name of ['primary', 'secondary']) {
    const w = limits[name] as Raw | null | undefined;
    if (w === null || w === undefined || typeof w !== 'object' || typeof w.used_percent !== 'number') continue;
    const window: RateLimitWindow = { name, usedPercent: w.used_percent };
    if (typeof w.window_minutes === 'number') window.windowMinutes = w.window_minutes;
    if (typeof w.resets_at === 'number') window.resetsAt = w.resets_at * 1000;
    else if (typeof w.resets_in_seconds === 'number') window.resetsAt = occurredAt + w.resets_in_seconds * 1000;
    windows.push(window);
  }
  if (windows.length === 0) return;
  const fingerprint = JSON.stringify([windows, limits.plan_type, limits.limit_id]);
  if (fingerprint === state.lastRateLimits) return;
  state.lastRateLimits = fingerprint;
  const snapshot = { agent: AGENT, sessionId: state.sessionId, occurredAt, windows } as Parameters<RecordSink['rateLimits']>[0];
  if (typeof limits.plan_type === 'string') snapshot.planType = limits.plan_type;
  if (typeof limits.limit_id === 'string') snapshot.limitId = limits.limit_id;
  sink.rateLimits(snapshot);
}

function isState(value: unknown): value is CodexState {
  return value !== null && typeof value === 'object' && typeof (value as CodexState).sessionId === 'string';
}
