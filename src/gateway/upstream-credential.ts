import type { ProxyContext } from './proxy-context.js';
import type { Route } from './router.js';

/**
 * The credential sent upstream: with the gateway key in `x-tokenledger-key`, a client's own bearer
 * token that is not a gateway key (a subscription's OAuth token) goes through as it came;
 * otherwise the upstream's configured credential (none configured: no credential at all).
 */
export function upstreamAuth(ctx: ProxyContext, route: Route, gatewayHeader: string | undefined, authorization: string | undefined): Record<string, string> {
  if (gatewayHeader !== undefined && authorization !== undefined) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    if (bearer !== undefined && ctx.keys.find(bearer) === undefined && bearer !== gatewayHeader) return { authorization };
  }
  const credential = route.upstream.credential;
  return credential === undefined ? {} : route.upstream.provider.upstreamAuth(credential);
}

/** The query string without the parameters that may carry a credential (`?` included when not empty). */
export function queryWithout(query: URLSearchParams, params: readonly string[]): string {
  if (params.some((p) => query.has(p))) {
    const copy = new URLSearchParams(query);
    for (const p of params) copy.delete(p);
    query = copy;
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
