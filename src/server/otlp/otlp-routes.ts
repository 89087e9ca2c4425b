import type { OtlpSignal } from '../../intake/otel/decode/index.js';

/** The paths OTLP/HTTP exporters post to, by the signal each carries. */
const SIGNAL_PATHS: Readonly<Record<string, OtlpSignal>> = { '/v1/logs': 'logs', '/v1/metrics': 'metrics', '/v1/traces': 'traces' };

/**
 * Where a request goes: a signal's path, or `/` (an exporter given the endpoint as its full URL,
 * as Gemini CLI does: the JSON body's top-level key names the signal); undefined for any other path.
 */
export function otlpRoute(path: string): OtlpSignal | 'root' | undefined {
  if (path === '/') return 'root';
  return Object.hasOwn(SIGNAL_PATHS, path) ? SIGNAL_PATHS[path] : undefined;
}

/**
 * Whether a request is the receiver's when it shares a port (`serve --otlp`): every method on the
 * signals' paths (the receiver answers 405 to all but POST), and only POST on `/` (GET `/` stays the
 * dashboard's).
 */
export function otlpClaims(method: string, path: string): boolean {
  const route = otlpRoute(path);
  return route !== undefined && (route !== 'root' || method === 'POST');
}
