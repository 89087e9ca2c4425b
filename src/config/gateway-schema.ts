/**
 * The `gateway` section of the config file: where the metering gateway listens, its upstreams, its
 * admin token, limits and timeouts. Only validated here; `gateway/settings.ts` fills in defaults
 * and credentials from the environment.
 */
export interface GatewayConfig {
  /** `HOST:PORT` (default `127.0.0.1:4000`). */
  listen?: string;
  /** Upstreams by name: `anthropic`, `openai`, `gemini` have defaults; any other name is OpenAI-compatible and needs `baseUrl`. */
  upstreams?: Record<string, UpstreamConfig>;
  /** Token of the admin API and `/metrics` (`TOKENLEDGER_ADMIN_TOKEN` wins). */
  adminToken?: string;
  limits?: GatewayLimitsConfig;
  /** How long settled usage waits to be committed with others (default 25 ms). */
  commitWindowMs?: number;
  tls?: { cert: string; key: string };
  /** Listen on a non-loopback address without TLS. */
  allowPlainHttp?: boolean;
}

export interface UpstreamConfig {
  /** The base URL as the provider's SDK takes it (`https://api.openai.com/v1`). */
  baseUrl?: string;
  /** The upstream credential (prefer `apiKeyEnv`: a config file is easily shared). */
  apiKey?: string;
  /** The environment variable holding the upstream credential. */
  apiKeyEnv?: string;
}

export interface GatewayLimitsConfig {
  maxBodyBytes?: number;
  headersTimeoutMs?: number;
  idleTimeoutMs?: number;
  upstreamConnectTimeoutMs?: number;
  upstreamFirstByteTimeoutMs?: number;
  maxConcurrentRequests?: number;
  /** After a client disconnects, how much more of the upstream answer is read to meter it. */
  drainBytes?: number;
  drainMs?: number;
  /** How often keys and budgets are read again from the ledger (a revoked key stops working within it). */
  keyRefreshMs?: number;
}

/** Upstream names with built-in defaults. */
export const BUILTIN_UPSTREAMS = ['anthropic', 'openai', 'gemini'] as const;

const LIMIT_KEYS = [
  'maxBodyBytes',
  'headersTimeoutMs',
  'idleTimeoutMs',
  'upstreamConnectTimeoutMs',
  'upstreamFirstByteTimeoutMs',
  'maxConcurrentRequests',
  'drainBytes',
  'drainMs',
  'keyRefreshMs',
] as const satisfies readonly (keyof GatewayLimitsConfig)[];

/** Names usable as a mount point: `/<name>/…`. */
export const UPSTREAM_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Reserved first path segments: never an upstream's name. */
export const RESERVED_UPSTREAM_NAMES: readonly string[] = ['v1', 'v1beta', 'tokenledger', 'metrics'];

type Fail = (where: string, message: string) => never;
type Only = (o: Record<string, unknown>, where: string, allowed: readonly string[]) => void;
type AsObject = (v: unknown, where: string) => Record<string, unknown>;

/** Checks the `gateway` section; `fail` names the place of a problem. */
export function validateGatewayConfig(value: unknown, fail: Fail, object: AsObject, only: Only, describe: (v: unknown) => string): GatewayConfig {
  const g = object(value, 'gateway');
  only(g, 'gateway', ['listen', 'upstreams', 'adminToken', 'limits', 'commitWindowMs', 'tls', 'allowPlainHttp']);
  const config: GatewayConfig = {};
  if (g.listen !== undefined) {
    if (typeof g.listen !== 'string' || !/^(\[[0-9a-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/i.test(g.listen)) fail('gateway.listen', `must be HOST:PORT (e.g. 127.0.0.1:4000), got ${describe(g.listen)}`);
    config.listen = g.listen as string;
  }
  if (g.upstreams !== undefined) {
    config.upstreams = Object.create(null) as Record<string, UpstreamConfig>;
    for (const [name, spec] of Object.entries(object(g.upstreams, 'gateway.upstreams'))) {
      const where = `gateway.upstreams[${JSON.stringify(name)}]`;
      if (!UPSTREAM_NAME.test(name) || RESERVED_UPSTREAM_NAMES.includes(name)) fail(where, `needs a name of lowercase letters, digits, "-" or "_" (not ${RESERVED_UPSTREAM_NAMES.join(', ')})`);
      const o = object(spec, where);
      only(o, where, ['baseUrl', 'apiKey', 'apiKeyEnv']);
      const upstream: UpstreamConfig = {};
      if (o.baseUrl !== undefined) {
        if (typeof o.baseUrl !== 'string' || !validBaseUrl(o.baseUrl)) fail(`${where}.baseUrl`, `must be an http(s) URL without query or credentials, got ${describe(o.baseUrl)}`);
        upstream.baseUrl = o.baseUrl as string;
      } else if (!(BUILTIN_UPSTREAMS as readonly string[]).includes(name)) {
        fail(where, `needs "baseUrl": only ${BUILTIN_UPSTREAMS.join(', ')} have a default (any other name is an OpenAI-compatible upstream)`);
      }
      if (o.apiKey !== undefined) {
        // The value is a secret: never quoted back.
        if (typeof o.apiKey !== 'string' || o.apiKey === '') fail(`${where}.apiKey`, 'must be a non-empty string');
        upstream.apiKey = o.apiKey as string;
      }
      if (o.apiKeyEnv !== undefined) {
        if (typeof o.apiKeyEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.apiKeyEnv)) fail(`${where}.apiKeyEnv`, `must name an environment variable, got ${describe(o.apiKeyEnv)}`);
        upstream.apiKeyEnv = o.apiKeyEnv as string;
      }
      config.upstreams[name] = upstream;
    }
  }
  if (g.adminToken !== undefined) {
    if (typeof g.adminToken !== 'string' || g.adminToken.length < 16) fail('gateway.adminToken', 'must be a string of at least 16 characters');
    config.adminToken = g.adminToken as string;
  }
  if (g.limits !== undefined) {
    const l = object(g.limits, 'gateway.limits');
    only(l, 'gateway.limits', LIMIT_KEYS);
    config.limits = {};
    for (const key of LIMIT_KEYS) {
      const v = l[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) fail(`gateway.limits.${key}`, `must be a whole number of at least 1, got ${describe(v)}`);
      config.limits[key] = v as number;
    }
  }
  if (g.commitWindowMs !== undefined) {
    const v = g.commitWindowMs;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > 10_000) fail('gateway.commitWindowMs', `must be a whole number of milliseconds from 1 to 10000, got ${describe(v)}`);
    config.commitWindowMs = v as number;
  }
  if (g.tls !== undefined) {
    const t = object(g.tls, 'gateway.tls');
    only(t, 'gateway.tls', ['cert', 'key']);
    if (typeof t.cert !== 'string' || t.cert === '' || typeof t.key !== 'string' || t.key === '') fail('gateway.tls', 'needs "cert" and "key": paths of PEM files');
    config.tls = { cert: t.cert as string, key: t.key as string };
  }
  if (g.allowPlainHttp !== undefined) {
    if (typeof g.allowPlainHttp !== 'boolean') fail('gateway.allowPlainHttp', `must be true or false, got ${describe(g.allowPlainHttp)}`);
    config.allowPlainHttp = g.allowPlainHttp as boolean;
  }
  return config;
}

/** An http(s) URL with a host and neither query, fragment nor credentials. */
export function validBaseUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
}
