import type { IncomingHttpHeaders } from 'node:http';
import type { Operation } from './provider.js';
import type { UpstreamSetting } from './settings.js';

/** A request the gateway forwards: to which upstream, as which operation, with which query. */
export interface Route {
  upstream: UpstreamSetting;
  operation: Operation;
  /** The request's query parameters (credentials still in: the request path strips them). */
  query: URLSearchParams;
}

/** A request no configured upstream serves: answered 404 in the shape of `kind`'s errors. */
export interface NoRoute {
  kind: string;
}

/**
 * The bare paths agents use by default, to the upstream of that name. `GET /v1/models` belongs to
 * Anthropic when the request carries Anthropic's headers, else to OpenAI.
 */
const BARE: ReadonlyArray<{ test: (method: string, path: string, headers: IncomingHttpHeaders) => boolean; upstream: string }> = [
  { test: (_m, p) => p === '/v1/messages' || p.startsWith('/v1/messages/'), upstream: 'anthropic' },
  { test: (_m, p) => p === '/v1/chat/completions' || p === '/v1/responses' || p.startsWith('/v1/responses/'), upstream: 'openai' },
  { test: (_m, p) => p.startsWith('/v1beta/'), upstream: 'gemini' },
  { test: (m, p, h) => m === 'GET' && p === '/v1/models' && (h['anthropic-version'] !== undefined || h['x-api-key'] !== undefined), upstream: 'anthropic' },
  { test: (_m, p) => p === '/v1/models' || p.startsWith('/v1/models/'), upstream: 'openai' },
];

/** A `.` or `..` segment, plain or percent-encoded. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Finds the upstream and operation of a request: `/<upstream name>/…` for every configured
 * upstream, or one of the bare paths. Only configured upstreams and their providers' routes are
 * reachable; the host a client names is never followed.
 */
export class Router {
  readonly #byName: Map<string, UpstreamSetting>;

  constructor(upstreams: readonly UpstreamSetting[]) {
    this.#byName = new Map(upstreams.map((u) => [u.name, u]));
  }

  resolve(method: string, rawUrl: string, headers: IncomingHttpHeaders): Route | NoRoute {
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    // Only plain absolute paths: no `..`, no encoded slashes, no absolute-form URLs.
    if (!path.startsWith('/') || DOT_SEGMENT.test(path) || /%2f|%5c|\\/i.test(path)) return { kind: 'openai' };
    const slash = path.indexOf('/', 1);
    const first = slash === -1 ? path.slice(1) : path.slice(1, slash);
    const mounted = this.#byName.get(first);
    if (mounted !== undefined) return this.#route(mounted, method, slash === -1 ? '/' : path.slice(slash), query);
    for (const bare of BARE) {
      if (!bare.test(method, path, headers)) continue;
      const upstream = this.#byName.get(bare.upstream);
      return upstream === undefined ? { kind: bare.upstream } : this.#route(upstream, method, path, query);
    }
    return { kind: 'openai' };
  }

  #route(upstream: UpstreamSetting, method: string, path: string, query: URLSearchParams): Route | NoRoute {
    const operation = upstream.provider.route(method, path);
    return operation === undefined ? { kind: upstream.provider.kind } : { upstream, operation, query };
  }
}

export function isRoute(r: Route | NoRoute): r is Route {
  return 'operation' in r;
}
