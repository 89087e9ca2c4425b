import { badArgument } from '../core/errors.js';
import { BUILTIN_UPSTREAMS, type GatewayConfig, type GatewayLimitsConfig, RESERVED_UPSTREAM_NAMES, UPSTREAM_NAME, validBaseUrl } from '../config/gateway-schema.js';
import type { Env } from '../sources/shared/roots.js';
import { type ListenAddress, parseListen, readTlsFiles, requireTlsOffLoopback, type TlsFiles } from '../core/listen-address.js';
import type { Provider } from './provider.js';
import { providerFor } from './providers/index.js';

/** An upstream the gateway forwards to: only these are reachable. */
export interface UpstreamSetting {
  name: string;
  provider: Provider;
  baseUrl: URL;
  /** The credential sent upstream (absent: none configured; a client's own bearer may still be passed through). */
  credential: string | undefined;
}

export type GatewayLimits = Required<GatewayLimitsConfig>;

export const DEFAULT_LIMITS: GatewayLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
  upstreamConnectTimeoutMs: 10_000,
  upstreamFirstByteTimeoutMs: 600_000,
  maxConcurrentRequests: 1_024,
  drainBytes: 16 * 1024 * 1024,
  drainMs: 120_000,
  keyRefreshMs: 5_000,
};

export const DEFAULT_LISTEN = '127.0.0.1:4000';

export const DEFAULT_COMMIT_WINDOW_MS = 25;

/** Everything the gateway runs with, defaults filled in and credentials read. */
export interface GatewaySettings {
  listen: ListenAddress;
  upstreams: UpstreamSetting[];
  adminToken: string | undefined;
  limits: GatewayLimits;
  commitWindowMs: number;
  tls: TlsFiles | undefined;
}

/** What the command line says, over the config file. */
export interface GatewayFlags {
  listen?: string;
  /** `NAME=URL`, repeated. */
  upstreams?: readonly string[];
  tlsCert?: string;
  tlsKey?: string;
  allowPlainHttp?: boolean;
  commitMs?: number;
}

/**
 * Resolves the settings: flags over config over defaults. With no upstream named anywhere, the
 * built-in ones (`anthropic`, `openai`, `gemini`) are served at their default URLs. A non-loopback
 * address without TLS or `allowPlainHttp` is refused (exit 2).
 */
export function gatewaySettings(config: GatewayConfig | undefined, flags: GatewayFlags, env: Env): GatewaySettings {
  const listen = parseListen(flags.listen ?? config?.listen ?? DEFAULT_LISTEN);
  const tls = readTlsFiles(flags.tlsCert ?? config?.tls?.cert, flags.tlsKey ?? config?.tls?.key);
  requireTlsOffLoopback(listen, tls, flags.allowPlainHttp ?? config?.allowPlainHttp ?? false, 'gateway keys');
  const specs = new Map<string, { baseUrl?: string; apiKey?: string; apiKeyEnv?: string }>();
  for (const [name, spec] of Object.entries(config?.upstreams ?? {})) specs.set(name, { ...spec });
  for (const text of flags.upstreams ?? []) {
    const eq = text.indexOf('=');
    const name = eq === -1 ? '' : text.slice(0, eq).trim();
    const url = eq === -1 ? '' : text.slice(eq + 1).trim();
    if (!UPSTREAM_NAME.test(name) || RESERVED_UPSTREAM_NAMES.includes(name) || !validBaseUrl(url))
      throw badArgument(`--upstream expects NAME=URL (e.g. openrouter=https://openrouter.ai/api/v1), got "${text}"`);
    specs.set(name, { ...specs.get(name), baseUrl: url });
  }
  if (specs.size === 0) for (const name of BUILTIN_UPSTREAMS) specs.set(name, {});
  const upstreams = [...specs].map(([name, spec]): UpstreamSetting => {
    const provider = providerFor(name);
    const base = spec.baseUrl ?? provider.defaultBaseUrl;
    if (base === undefined) throw badArgument(`upstream "${name}" needs a base URL: only ${BUILTIN_UPSTREAMS.join(', ')} have a default`);
    const envName = spec.apiKeyEnv ?? provider.credentialEnv;
    const fromEnv = envName === undefined ? undefined : env[envName];
    const credential = spec.apiKey ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    return { name, provider, baseUrl: new URL(base), credential };
  });
  return {
    listen,
    upstreams,
    adminToken: adminToken(config, env),
    limits: { ...DEFAULT_LIMITS, ...config?.limits },
    commitWindowMs: flags.commitMs ?? config?.commitWindowMs ?? DEFAULT_COMMIT_WINDOW_MS,
    tls,
  };
}

/** The admin token: `TOKENLEDGER_ADMIN_TOKEN`, else config `gateway.adminToken` (absent: none, admin endpoints refuse). */
export function adminToken(config: GatewayConfig | undefined, env: Env): string | undefined {
  const fromEnv = env.TOKENLEDGER_ADMIN_TOKEN;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : config?.adminToken;
}
