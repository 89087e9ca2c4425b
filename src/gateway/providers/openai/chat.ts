import type { MeteredUsage, Operation, Prepared, PrepareError } from '../../provider.js';
import { maxTokens, RequestFields } from '../../request-fields.js';
import { readResponse, type StreamUsage } from '../../response-reader.js';
import type { SseEvent } from '../../sse-lines.js';
import { isRecord } from '../../token-count.js';
import { type Answer, chatTokens, metered } from './usage.js';
import { serviceTierOf } from '../../../core/service-tier.js';

const FIELDS = new RequestFields(['model', 'stream', 'stream_options', 'max_completion_tokens', 'max_tokens', 'service_tier']);
const INCLUDE_USAGE = Buffer.from('"stream_options":{"include_usage":true},');
/** A member no text can contain unescaped: only the chunk's own `usage`. */
const NULL_USAGE = ',"usage":null';

/**
 * `POST /chat/completions`. A stream whose client did not ask for usage gets
 * `stream_options.include_usage` added (the body is re-serialised only when it already has other
 * stream options), and what that adds is removed from what the client receives: the usage-only chunk,
 * and the `"usage":null` member of every other chunk.
 */
export function chatCompletions(pricingProvider: string): Operation {
  return {
    name: 'chat.completions',
    upstreamPath: '/chat/completions',
    prepare(body: Buffer): Prepared | PrepareError {
      const request = FIELDS.readModelRequest(body);
      if ('error' in request) return request;
      const { fields, model, stream } = request;
      const options = fields.get('stream_options');
      const injected = stream && !(isRecord(options) && options.include_usage === true);
      const sent = injected ? withUsage(body, options) : body;
      if (!Buffer.isBuffer(sent)) return sent;
      const prepared: Prepared = {
        model,
        stream,
        body: sent,
        maxOutputTokens: maxTokens(fields.get('max_completion_tokens')) ?? maxTokens(fields.get('max_tokens')),
        reader: (status, headers) =>
          readResponse(status, headers, {
            json: (answer) => (isRecord(answer) && isRecord(answer.usage) ? metered(pricingProvider, model, chatAnswer(answer, answer.usage)) : undefined),
            sse: () => new ChatStream(pricingProvider, model, injected),
          }),
      };
      const tier = serviceTierOf(fields.get('service_tier'));
      if (tier !== undefined) prepared.serviceTier = tier;
      return prepared;
    },
  };
}

/** The body asking for the usage chunk: inserted after `{` when it has no stream options, else re-serialised. */
function withUsage(body: Buffer, options: unknown): Buffer | PrepareError {
  if (options === undefined) {
    // The body is an object with a model, so a member follows `{`.
    const open = body.indexOf(0x7b);
    return Buffer.concat([body.subarray(0, open + 1), INCLUDE_USAGE, body.subarray(open + 1)]);
  }
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    parsed.stream_options = { ...(isRecord(options) ? options : {}), include_usage: true };
    return Buffer.from(JSON.stringify(parsed));
  } catch {
    return { error: 'the request body is not valid JSON' };
  }
}

function chatAnswer(chunk: Record<string, unknown>, usage: Record<string, unknown>): Answer {
  return { id: chunk.id, model: chunk.model, serviceTier: chunk.service_tier, tokens: chatTokens(usage), cost: usage.cost };
}

const USAGE_NAME = '"usage"';

/**
 * Whether a chunk's text has a `"usage"` member whose value is not `null` (a cheap search: only
 * such a chunk is parsed). A string value cannot hold `"usage"` unescaped, so every hit is a name.
 */
export function carriesUsage(data: string): boolean {
  for (let at = data.indexOf(USAGE_NAME); at !== -1; at = data.indexOf(USAGE_NAME, at + USAGE_NAME.length)) {
    let i = at + USAGE_NAME.length;
    while (isSpace(data.charCodeAt(i))) i++;
    if (data.charCodeAt(i) !== 0x3a) continue; // not a member name
    i++;
    while (isSpace(data.charCodeAt(i))) i++;
    if (!data.startsWith('null', i)) return true;
  }
  return false;
}

const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

class ChatStream implements StreamUsage {
  readonly strips: boolean;
  readonly #pricingProvider: string;
  readonly #model: string;
  #usage: MeteredUsage | undefined;

  constructor(pricingProvider: string, model: string, strips: boolean) {
    this.#pricingProvider = pricingProvider;
    this.#model = model;
    this.strips = strips;
  }

  wants(): boolean {
    return true;
  }

  event(event: SseEvent): boolean | string {
    // Only a chunk whose `usage` is not null can carry it; the others pass unread.
    if (event.oversized) return true;
    if (!carriesUsage(event.data)) return this.strips && event.data.includes(NULL_USAGE) ? event.data.replace(NULL_USAGE, '') : true;
    // Asking for usage adds `"usage":null` to every other chunk: the client did not ask, so it goes.
    if (this.strips && event.data.includes(NULL_USAGE)) return event.data.replace(NULL_USAGE, '');
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return true;
    }
    if (!isRecord(chunk) || !isRecord(chunk.usage)) return true;
    this.#usage = metered(this.#pricingProvider, this.#model, chatAnswer(chunk, chunk.usage));
    // The usage-only chunk (no choices) exists because the gateway asked for it.
    return !(Array.isArray(chunk.choices) && chunk.choices.length === 0);
  }

  end(): MeteredUsage | undefined {
    return this.#usage;
  }
}
