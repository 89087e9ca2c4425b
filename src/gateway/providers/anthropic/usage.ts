import type { IncomingHttpHeaders } from 'node:http';
import { claudeMessageKey } from '../../../core/claude-message-key.js';
import { serviceTierOf } from '../../../core/service-tier.js';
import type { TokenCounts } from '../../../core/usage-event.js';
import type { MeteredUsage } from '../../provider.js';
import type { ResponseFormat, StreamUsage } from '../../response-reader.js';
import type { SseEvent } from '../../sse-lines.js';
import { headerValue } from '../../route-table.js';
import { isRecord, jsonObject, shortText, tokenCount } from '../../token-count.js';

/** The usage members of a Messages answer that a later report may overwrite. */
const FIELDS = ['input_tokens', 'output_tokens', 'output_tokens_details', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'cache_creation', 'service_tier', 'speed'] as const;

/**
 * Reads a Messages answer: the JSON message's `usage`, or the stream's `message_start` (id, model,
 * first usage, the only place of the 5m/1h cache-write split) and then every `message_delta`,
 * whose usage is cumulative: each field it carries overwrites the one held, never adds to it.
 */
export function messagesFormat(requestedModel: string, headers: IncomingHttpHeaders): ResponseFormat {
  const requestId = shortText(headerValue(headers['request-id']));
  return {
    json: (body) => {
      if (!isRecord(body) || body.type === 'error' || !isRecord(body.usage)) return undefined;
      return metered(requestedModel, requestId, body.id, body.model, body.usage);
    },
    sse: () => new MessagesStream(requestedModel, requestId),
  };
}

class MessagesStream implements StreamUsage {
  readonly strips = false;
  readonly #model: string;
  readonly #requestId: string | undefined;
  #id: unknown;
  #answeredModel: unknown;
  #usage: Record<string, unknown> | undefined;

  constructor(model: string, requestId: string | undefined) {
    this.#model = model;
    this.#requestId = requestId;
  }

  /** The usage events; `message` too, for servers that name events only inside their data. */
  wants(type: string): boolean {
    return type === 'message_start' || type === 'message_delta' || type === 'message';
  }

  event(event: SseEvent): boolean {
    if (event.oversized || !this.wants(event.type)) return true;
    const data = jsonObject(event.data);
    if (data === undefined) return true;
    // The data's own type decides; an `event:` line naming another is not believed.
    if (event.type !== 'message' && event.type !== data.type) return true;
    if (data.type === 'message_start' && isRecord(data.message)) {
      const message = data.message;
      this.#id = message.id;
      this.#answeredModel = message.model;
      this.#usage = isRecord(message.usage) ? { ...message.usage } : {};
    } else if (data.type === 'message_delta' && isRecord(data.usage) && this.#usage !== undefined) {
      for (const field of FIELDS) {
        const value = data.usage[field];
        if (value !== undefined && value !== null) this.#usage[field] = value;
      }
    }
    return true;
  }

  end(): MeteredUsage | undefined {
    // Without message_start nothing was answered (an error before it, a stream cut at once).
    if (this.#usage === undefined) return undefined;
    return metered(this.#model, this.#requestId, this.#id, this.#answeredModel, this.#usage);
  }
}

function metered(requestedModel: string, requestId: string | undefined, id: unknown, model: unknown, usage: Record<string, unknown>): MeteredUsage {
  const messageId = shortText(id);
  const result: MeteredUsage = { model: shortText(model) ?? requestedModel, ...tokensOf(usage) };
  if (messageId !== undefined) {
    result.responseId = messageId;
    result.dedupKey = claudeMessageKey(messageId, requestId);
  }
  // Fast mode is reported as speed "fast" beside service_tier "standard".
  const tier = serviceTierOf(usage.speed, usage.service_tier);
  if (tier !== undefined) result.serviceTier = tier;
  return result;
}

/** Anthropic usage → disjoint buckets (`input_tokens` already excludes cache reads and writes). */
export function tokensOf(usage: Record<string, unknown>): TokenCounts {
  const cacheWrite = tokenCount(usage.cache_creation_input_tokens);
  // Without the TTL split every cache write is a 5-minute write; with it, the total still rules.
  const split = usage.cache_creation;
  const write1h = isRecord(split) ? Math.min(tokenCount(split.ephemeral_1h_input_tokens), cacheWrite) : 0;
  const output = tokenCount(usage.output_tokens);
  // `output_tokens` is the billed total; thinking is the part of it spent reasoning.
  const details = usage.output_tokens_details;
  return {
    inputTokens: tokenCount(usage.input_tokens),
    outputTokens: output,
    reasoningTokens: isRecord(details) ? Math.min(tokenCount(details.thinking_tokens), output) : 0,
    cacheWrite5mTokens: cacheWrite - write1h,
    cacheWrite1hTokens: write1h,
    cacheReadTokens: tokenCount(usage.cache_read_input_tokens),
  };
}
