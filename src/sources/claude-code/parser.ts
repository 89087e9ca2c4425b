import { claudeMessageKey } from '../../core/claude-message-key.js';
import type { FileParser, RecordSink, SourceFile } from '../../core/source.js';
import { serviceTierOf } from '../../core/service-tier.js';
import type { TokenCounts, UsageEvent } from '../../core/usage-event.js';
import { readCount } from '../shared/numbers.js';
import { parseTimestamp, timestampOutOfBounds } from '../shared/timestamp.js';
import { ClaudeLineReader, type ClaudeLine, type MessageFields } from './line.js';
import { pathFacts } from './paths.js';

export const AGENT = 'claude-code';
const PROVIDER = 'anthropic';
const SYNTHETIC_MODEL = '<synthetic>';

/** Every line that can carry usage contains this key (assistant lines and subagent progress lines). */
const MARKERS = ['"usage"'] as const;

interface RawUsage {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation?: { ephemeral_5m_input_tokens?: unknown; ephemeral_1h_input_tokens?: unknown } | null;
  iterations?: unknown;
  service_tier?: unknown;
  speed?: unknown;
}

/** Where the usage of one line sits, whichever line kind carried it. */
interface Carrier {
  message: MessageFields & { usage: RawUsage };
  requestId: string | undefined;
  timestamp: string | number | undefined;
  sidechain: boolean;
  uuid: string | undefined;
}

/**
 * Turns Claude Code transcript lines into usage events. Stateless: every line names its session,
 * folder and ids, so a resumed file needs nothing carried over.
 */
export function openParser(file: SourceFile): FileParser {
  const facts = pathFacts(file.root, file.path);
  const reader = new ClaudeLineReader();

  let sink: RecordSink;
  const one = (record: ClaudeLine): void => {
    const carrier = findCarrier(record);
    if (carrier === undefined) return;
    const { usage, model } = carrier.message;
    if (model === SYNTHETIC_MODEL) return;
    if (model === undefined || model === '') {
      sink.drop('message with usage but no model');
      return;
    }
    const occurredAt = parseTimestamp(carrier.timestamp);
    if (occurredAt === undefined) {
      sink.drop('missing or invalid timestamp');
      return;
    }
    const outOfBounds = timestampOutOfBounds(occurredAt);
    if (outOfBounds !== undefined) {
      sink.drop(outOfBounds);
      return;
    }
    const tokens = readTokens(usage);
    if (tokens === undefined) {
      sink.drop('usage with a token count that is negative, not a whole number or above 10^9');
      return;
    }

    const messageId = nonEmpty(carrier.message.id);
    const requestId = nonEmpty(carrier.requestId);
    let dedupKey: string;
    if (messageId !== undefined) dedupKey = claudeMessageKey(messageId, requestId);
    else if (carrier.uuid !== undefined && carrier.uuid !== '') dedupKey = `${AGENT}:line:${carrier.uuid}`;
    else {
      sink.drop('usage without a message id or line uuid');
      return;
    }
    const sessionId = nonEmpty(record.sessionId) ?? facts.sessionId;
    const project = nonEmpty(record.cwd) ?? facts.projectFolder;

    if (billed(tokens)) {
      const event: UsageEvent = {
        agent: AGENT,
        provider: PROVIDER,
        model,
        sessionId,
        project,
        occurredAt,
        dedupKey,
        sidechain: carrier.sidechain,
        ...tokens,
      };
      if (messageId !== undefined) event.replayKey = `${AGENT}:${messageId}`;
      // Fast mode is logged as speed "fast" beside service_tier "standard"; both standard means no tier.
      const serviceTier = serviceTierOf(usage.speed, usage.service_tier);
      if (serviceTier !== undefined) event.serviceTier = serviceTier;
      sink.usage(event);
    }

    // Advisor sub-inferences are billed at the advisor model's rates and reported beside the main usage.
    if (Array.isArray(usage.iterations)) {
      usage.iterations.forEach((iteration: unknown, index: number) => {
        const it = iteration as (RawUsage & { type?: unknown; model?: unknown }) | null;
        if (it === null || typeof it !== 'object' || it.type !== 'advisor_message') return;
        if (typeof it.model !== 'string' || it.model === '') {
          sink.drop('advisor usage without a model');
          return;
        }
        const advisor = readTokens(it);
        if (advisor === undefined) {
          sink.drop('advisor usage with a token count that is negative, not a whole number or above 10^9');
          return;
        }
        if (billed(advisor)) {
          sink.usage({ agent: AGENT, provider: PROVIDER, model: it.model, sessionId, project, occurredAt, dedupKey: `${dedupKey}:advisor:${index}`, sidechain: carrier.sidechain, ...advisor });
        }
      });
    }
  };

  const line = (bytes: Buffer, start: number, end: number, to: RecordSink): void => {
    sink = to;
    reader.each(bytes, start, end, to, one);
  };

  return {
    markers: MARKERS,
    line,
    document: (): boolean => {
      throw new Error('Claude Code transcripts are line files');
    },
    state: () => null,
  };
}

function findCarrier(record: ClaudeLine): Carrier | undefined {
  if (record.type === 'assistant') {
    const message = record.message;
    if (!hasUsage(message)) return undefined;
    return { message, requestId: record.requestId, timestamp: record.timestamp, sidechain: record.isSidechain, uuid: record.uuid };
  }
  if (record.type === 'progress') {
    // Subagent progress: data.message is the subagent's own transcript line, counted once with it.
    const inner = record.progress;
    if (inner === undefined || !hasUsage(inner.message)) return undefined;
    return { message: inner.message, requestId: inner.requestId, timestamp: inner.timestamp ?? record.timestamp, sidechain: true, uuid: inner.uuid ?? record.uuid };
  }
  return undefined;
}

function hasUsage(message: MessageFields | undefined): message is MessageFields & { usage: RawUsage } {
  return message !== undefined && message.usage !== null && typeof message.usage === 'object' && !Array.isArray(message.usage);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Anthropic usage → disjoint buckets. `input_tokens` already excludes cache reads and writes. */
function readTokens(usage: RawUsage): TokenCounts | undefined {
  const input = readCount(usage.input_tokens);
  const output = readCount(usage.output_tokens);
  const cacheWrite = readCount(usage.cache_creation_input_tokens);
  const cacheRead = readCount(usage.cache_read_input_tokens);
  if (input === undefined || output === undefined || cacheWrite === undefined || cacheRead === undefined) return undefined;
  // Without the TTL split every cache write is a 5-minute write; with it, the total still rules.
  let write1h = 0;
  const split = usage.cache_creation;
  if (split !== null && split !== undefined && typeof split === 'object') {
    const oneHour = readCount(split.ephemeral_1h_input_tokens);
    if (oneHour === undefined) return undefined;
    write1h = Math.min(oneHour, cacheWrite);
  }
  return {
    inputTokens: input,
    outputTokens: output,
    reasoningTokens: 0,
    cacheWrite5mTokens: cacheWrite - write1h,
    cacheWrite1hTokens: write1h,
    cacheReadTokens: cacheRead,
  };
}

function billed(t: TokenCounts): boolean {
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens > 0;
}
