import type { IncomingHttpHeaders } from 'node:http';
import type { TokenCounts } from '../../../core/usage-event.js';
import { JsonArrayItems } from '../../json-array-items.js';
import type { MeteredUsage, UsageReader } from '../../provider.js';
import { decodedReader } from '../../encoded-body.js';
import { isEventStream, readResponse, type StreamUsage } from '../../response-reader.js';
import type { SseEvent } from '../../sse-lines.js';
import { isRecord, shortText, tokenCount } from '../../token-count.js';

/**
 * `usageMetadata` → disjoint buckets, as the Gemini CLI source maps its log: the cached part of
 * `promptTokenCount` is a cache read, tool-use prompt tokens are input, thoughts are output (and
 * reasoning).
 */
export function geminiTokens(usage: Record<string, unknown>): TokenCounts {
  const prompt = tokenCount(usage.promptTokenCount);
  const cached = Math.min(tokenCount(usage.cachedContentTokenCount), prompt);
  const thoughts = tokenCount(usage.thoughtsTokenCount);
  return {
    inputTokens: Math.min(prompt - cached + tokenCount(usage.toolUsePromptTokenCount), 1_000_000_000),
    outputTokens: Math.min(tokenCount(usage.candidatesTokenCount) + thoughts, 1_000_000_000),
    reasoningTokens: thoughts,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
  };
}

/** Follows the answers of one request: each chunk's `usageMetadata` is cumulative, the last one wins. */
class GeminiUsage {
  readonly #model: string;
  #usage: MeteredUsage | undefined;

  constructor(model: string) {
    this.#model = model;
  }

  read(answer: unknown): void {
    if (!isRecord(answer) || !isRecord(answer.usageMetadata)) return;
    const usage: MeteredUsage = { model: shortText(answer.modelVersion) ?? this.#model, ...geminiTokens(answer.usageMetadata) };
    const id = shortText(answer.responseId);
    if (id !== undefined) {
      usage.responseId = id;
      usage.dedupKey = `gateway:gemini:${id}`;
    }
    this.#usage = usage;
  }

  get usage(): MeteredUsage | undefined {
    return this.#usage;
  }
}

class SseChunks implements StreamUsage {
  readonly strips = false;
  readonly #usage: GeminiUsage;

  constructor(model: string) {
    this.#usage = new GeminiUsage(model);
  }

  wants(): boolean {
    return true;
  }

  event(event: SseEvent): boolean {
    // A chunk without usage needs no parse.
    if (event.oversized || !event.data.includes('"usageMetadata"')) return true;
    try {
      this.#usage.read(JSON.parse(event.data));
    } catch {
      // Not JSON: no usage from it.
    }
    return true;
  }

  end(): MeteredUsage | undefined {
    return this.#usage.usage;
  }
}

/** A stream without `alt=sse`: a JSON array whose items arrive one by one. */
class ArrayChunks implements UsageReader {
  readonly #items = new JsonArrayItems();
  readonly #usage: GeminiUsage;

  constructor(model: string) {
    this.#usage = new GeminiUsage(model);
  }

  write(chunk: Buffer): Buffer {
    try {
      this.#items.push(chunk, (item) => this.#usage.read(item));
    } catch {
      // Never fails the answer: it reads nothing more.
    }
    return chunk;
  }

  end(): MeteredUsage | undefined {
    return this.#usage.usage;
  }
}

/** The reader of one answer: JSON, SSE (`alt=sse`) or, for a stream without it, a JSON array. */
export function geminiReader(model: string, stream: boolean, status: number, headers: IncomingHttpHeaders): UsageReader {
  if (stream && status >= 200 && status < 300 && !isEventStream(headers)) return decodedReader(headers, () => new ArrayChunks(model));
  return readResponse(status, headers, {
    json: (body) => {
      const usage = new GeminiUsage(model);
      usage.read(body);
      return usage.usage;
    },
    sse: () => new SseChunks(model),
  });
}
