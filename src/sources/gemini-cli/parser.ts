import type { FileParser, RecordSink, SourceFile } from '../../core/source.js';
import { parseObjectRecords } from '../shared/json-line.js';
import { readCount } from '../shared/numbers.js';
import { parseTimestamp, timestampOutOfBounds } from '../shared/timestamp.js';
import { pathFacts, projectOf } from './paths.js';

export const AGENT = 'gemini-cli';
const PROVIDER = 'google';
/** Shown (unpriced) when an old chat did not record its model. */
export const UNKNOWN_MODEL = 'gemini-unknown';

/** Header lines name the session; message lines carry `tokens`. */
const MARKERS = ['"sessionId"', '"tokens"'] as const;

type Raw = Record<string, unknown>;

interface GeminiState {
  sessionId: string;
  fallbackAt: number | null;
}

export function openParser(file: SourceFile, saved: unknown): FileParser {
  const facts = pathFacts(file.root, file.path);
  const project = projectOf(file.root, facts.projectFolder);
  const state: GeminiState = isState(saved) ? { ...saved } : { sessionId: facts.fileStem, fallbackAt: null };

  const sessionFor = (own: string): string => facts.parentSessionId ?? own;

  const message = (m: Raw, fallbackAt: number | null, sink: RecordSink): void => {
    if (m.type !== 'gemini' || m.tokens === null || typeof m.tokens !== 'object') return;
    const tokens = m.tokens as Raw;
    const input = readCount(tokens.input);
    const output = readCount(tokens.output);
    const cached = readCount(tokens.cached);
    const thoughts = readCount(tokens.thoughts);
    const tool = readCount(tokens.tool);
    if (input === undefined || output === undefined || cached === undefined || thoughts === undefined || tool === undefined) {
      sink.drop('gemini message with a token count that is negative, not a whole number or above 10^9');
      return;
    }
    const occurredAt = parseTimestamp(m.timestamp) ?? fallbackAt ?? undefined;
    if (occurredAt === undefined) {
      sink.drop('gemini message without a valid timestamp');
      return;
    }
    const outOfBounds = timestampOutOfBounds(occurredAt);
    if (outOfBounds !== undefined) {
      sink.drop(outOfBounds);
      return;
    }
    if (typeof m.id !== 'string' || m.id === '') {
      sink.drop('gemini message without an id');
      return;
    }
    // `cached` is part of `input`; thoughts are billed as output and tool-use prompts as input.
    const cacheRead = Math.min(cached, input);
    const event = {
      agent: AGENT,
      provider: PROVIDER,
      model: typeof m.model === 'string' && m.model !== '' ? m.model : UNKNOWN_MODEL,
      sessionId: sessionFor(state.sessionId),
      project,
      occurredAt,
      dedupKey: `${AGENT}:${state.sessionId}:${m.id}`,
      inputTokens: input - cacheRead + tool,
      outputTokens: output + thoughts,
      reasoningTokens: thoughts,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: cacheRead,
    };
    if (event.inputTokens + event.outputTokens + event.cacheReadTokens > 0) sink.usage(event);
  };

  const line = (bytes: Buffer, start: number, end: number, sink: RecordSink): void => {
    for (const record of parseObjectRecords(bytes, start, end, sink)) one(record, sink);
  };

  const one = (record: Raw, sink: RecordSink): void => {
    if (typeof record.sessionId === 'string' && record.sessionId !== '' && record.type === undefined) {
      state.sessionId = record.sessionId;
      state.fallbackAt = parseTimestamp(record.startTime) ?? state.fallbackAt;
      return;
    }
    message(record, state.fallbackAt, sink);
  };

  const document = (text: string, sink: RecordSink): boolean => {
    let doc: Raw;
    try {
      doc = JSON.parse(text) as Raw;
    } catch {
      sink.drop('invalid JSON (a chat being rewritten is read again once it changes)');
      return false;
    }
    if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.messages)) {
      sink.drop('not a Gemini chat (no messages array)');
      return true;
    }
    if (typeof doc.sessionId === 'string' && doc.sessionId !== '') state.sessionId = doc.sessionId;
    const fallbackAt = parseTimestamp(doc.lastUpdated) ?? parseTimestamp(doc.startTime) ?? null;
    for (const m of doc.messages) {
      if (m !== null && typeof m === 'object') message(m as Raw, fallbackAt, sink);
    }
    return true;
  };

  return { markers: MARKERS, line, document, state: () => ({ ...state }) };
}

function isState(value: unknown): value is GeminiState {
  return value !== null && typeof value === 'object' && typeof (value as GeminiState).sessionId === 'string';
}
