import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { UpstreamSetting } from './settings.js';

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1), and those the gateway sets itself. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'accept-encoding',
  'x-tokenledger-key',
]);

/** Response headers not passed back to the client (the gateway frames its own answer). */
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The headers sent upstream: the client's, less connection headers, every credential header the
 * provider knows and the gateway key; plus `auth` (the upstream credential, or the client's own
 * bearer passed through). Bodies are asked for uncompressed, so usage can be read from them.
 */
export function upstreamHeaders(incoming: IncomingHttpHeaders, credentialHeaders: readonly string[], auth: Record<string, string>, bodyBytes: number | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    if (NOT_FORWARDED.has(name) || credentialHeaders.includes(name)) continue;
    out[name] = incoming[name];
  }
  for (const name in auth) out[name] = auth[name];
  out['accept-encoding'] = 'identity';
  if (bodyBytes !== undefined) out['content-length'] = String(bodyBytes);
  return out;
}

/** The upstream's response headers as the client gets them (`content-length` dropped when the body may change). */
export function clientHeaders(upstream: IncomingHttpHeaders, bodyMayChange: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (NOT_RETURNED.has(name) || (bodyMayChange && name === 'content-length')) continue;
    out[name] = upstream[name];
  }
  return out;
}

/** Why an upstream request failed before its response began. */
export class UpstreamFailure extends Error {
  constructor(
    readonly reason: 'connect_timeout' | 'first_byte_timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamCall {
  upstream: UpstreamSetting;
  /** The path and query on the upstream, relative to its base URL. */
  path: string;
  search: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
}

/** Keep-alive connections per upstream: a request reuses a warm socket instead of a new TCP and TLS handshake. */
export class UpstreamAgents {
  readonly #agents = new Map<string, HttpAgent>();

  for(upstream: UpstreamSetting): HttpAgent {
    let agent = this.#agents.get(upstream.name);
    if (agent === undefined) {
      const options = { keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 256, scheduling: 'lifo' as const };
      agent = upstream.baseUrl.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
      this.#agents.set(upstream.name, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/**
 * Sends a request upstream; resolves with the response once its headers arrive. Rejects with
 * `UpstreamFailure` when no connection is made in time, the first byte takes too long, or the
 * connection fails. A client that goes away meanwhile does not cancel it: the upstream bills what
 * it was sent, so its answer is still read and metered.
 */
export function sendUpstream(call: UpstreamCall, agents: UpstreamAgents): Promise<IncomingMessage> {
  const base = call.upstream.baseUrl;
  const basePath = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({
      protocol: base.protocol,
      hostname: base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname,
      port: base.port === '' ? undefined : Number(base.port),
      method: call.method,
      path: `${basePath}${call.path}${call.search}`,
      headers: call.headers,
      agent: agents.for(call.upstream),
    });
    let timer: NodeJS.Timeout | undefined;
    const fail = (failure: UpstreamFailure): void => {
      reject(failure);
      req.destroy();
    };
    const firstByte = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new UpstreamFailure('first_byte_timeout', `${call.upstream.name} sent no answer within ${call.firstByteTimeoutMs} ms`)), call.firstByteTimeoutMs);
    };
    req.once('socket', (socket) => {
      if (!socket.connecting) return firstByte();
      timer = setTimeout(() => fail(new UpstreamFailure('connect_timeout', `no connection to ${call.upstream.name} within ${call.connectTimeoutMs} ms`)), call.connectTimeoutMs);
      socket.once('connect', firstByte);
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      // The message names the upstream, never the request's headers or body.
      reject(new UpstreamFailure('unreachable', `${call.upstream.name} could not be reached (${(error as NodeJS.ErrnoException).code ?? error.name})`));
    });
    req.end(call.body);
  });
}
