import type { IncomingHttpHeaders } from 'node:http';
import type { TokenCounts } from '../core/usage-event.js';

/**
 * One kind of upstream API the gateway speaks (Anthropic Messages, OpenAI, Gemini, any
 * OpenAI-compatible server): everything that differs between providers, and nothing else. The
 * server (`server.ts`) owns listening, keys, budgets, limits and the ledger; a provider owns its
 * routes, where its clients put credentials, how a request's size is bounded and how usage is
 * read from a response, streamed or not. The registry is `providers/index.ts`.
 */
export interface Provider {
  /** `anthropic`, `openai`, `gemini` or `openai-compatible`. */
  readonly kind: string;
  /** The provider id events are priced under (`anthropic`, `openai`, `google`; a compatible upstream: its name). */
  readonly pricingProvider: string;
  /** The base URL as the provider's SDK takes it (`https://api.openai.com/v1`); absent for compatible upstreams, which must configure one. */
  readonly defaultBaseUrl: string | undefined;
  /** The environment variable holding the upstream credential when config sets none. */
  readonly credentialEnv: string | undefined;
  /** Request headers (lowercase) that may carry a client's credential: all are removed before forwarding. */
  readonly credentialHeaders: readonly string[];
  /** Query parameters that may carry one (Gemini's `key`): removed before forwarding. */
  readonly credentialParams: readonly string[];
  /** The gateway key a client sent where this provider's clients send their API key, if any. */
  clientKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined;
  /** Headers that carry `credential` to the upstream. */
  upstreamAuth(credential: string): Record<string, string>;
  /**
   * What `method` on `path` is (`path` relative to the gateway's mount of this upstream, e.g.
   * `/v1/messages` or `/v1beta/models/gemini-2.5-pro:generateContent`), or undefined when it is not
   * one of this provider's routes (the gateway answers 404 and never forwards it).
   */
  route(method: string, path: string): Operation | undefined;
}

/** A route of a provider. */
export interface Operation {
  /** `messages`, `chat.completions`, `responses`, `generateContent`, `count_tokens`, `models`, … (metrics label). */
  readonly name: string;
  /**
   * The upstream path to send to, relative to the upstream's base URL (an SDK's base URL already
   * holds `/v1` for OpenAI; Anthropic's and Gemini's do not).
   */
  readonly upstreamPath: string;
  /** Absent: passed through unmetered and never budget-blocked (`count_tokens`, `GET /v1/models`). */
  prepare?(body: Buffer): Prepared | PrepareError;
}

/** A request body the gateway cannot meter: refused with 400 before anything is sent. */
export interface PrepareError {
  error: string;
}

/** A metered request, read before it is sent. */
export interface Prepared {
  model: string;
  stream: boolean;
  /** The body to send (the same buffer when nothing changed; OpenAI Chat streams gain `stream_options.include_usage`). */
  body: Buffer;
  /** The most output tokens the request allows (its `max_tokens`-style field); absent: it does not say. */
  maxOutputTokens: number | undefined;
  /** The service tier the request asks for (`priority`, `flex`, Anthropic `speed: "fast"` → `fast`), if any. */
  serviceTier?: string;
  /** Reads the upstream's answer to this request. */
  reader(status: number, headers: IncomingHttpHeaders): UsageReader;
}

/**
 * Follows one upstream response as its bytes pass through. `write` returns what the client gets,
 * without delay: the chunk itself, or less of it when the gateway removes what only it asked for
 * (the usage-only chunk of an OpenAI Chat stream whose client did not ask for usage). Never throws
 * on what an upstream sends: a body it cannot read yields no usage.
 *
 * It reads identity-encoded bodies as they pass, so the server sends `accept-encoding: identity`
 * upstream on metered requests (the SDKs ask for gzip). A compressed body is still read, decoded once
 * at its end, and passed on unchanged. A stream's unfinished last event may be held until it is whole
 * (only where events are removed): what `write` returns is always whole events.
 */
export interface UsageReader {
  write(chunk: Buffer): Buffer;
  /**
   * The response ended (`complete`: the upstream finished it; false: it broke off or was abandoned
   * after the gateway's bounded read): the usage it reported, or undefined when it reported none
   * (an error answer, a stream cut before its first usage).
   */
  end(complete: boolean): MeteredUsage | undefined;
}

/** Usage an upstream reported for one request, in the ledger's disjoint buckets. */
export interface MeteredUsage extends TokenCounts {
  /** The model the upstream says answered (else the one asked for). */
  model: string;
  /**
   * The dedup key of the event. Keyed as the agent's own log keys the same request where one does
   * (Anthropic: as Claude Code's log, by message id and request id), so a request the gateway
   * metered and a log also holds counts once; absent when the response carried no id.
   */
  dedupKey?: string;
  /** The provider's id of the response (`msg_…`, `chatcmpl-…`, `resp_…`, Gemini `responseId`). */
  responseId?: string;
  /** The service tier the upstream says it served (`priority`, `flex`, `fast`); absent: standard. */
  serviceTier?: string;
  /** The provider's own cost figure (OpenRouter `usage.cost`), in nano-USD. */
  reportedCostNanos?: number;
}
