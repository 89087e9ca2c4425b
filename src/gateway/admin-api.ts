import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameSecret } from '../core/same-secret.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { KeyCache } from './key-cache.js';
import { meterJson } from '../sinks/json/meter-json.js';
import type { GatewayLedgerHandle } from './ledger-writes.js';
import { sendJson } from './respond.js';

export const ADMIN_PREFIX = '/tokenledger/v1/';

export interface AdminContext {
  ledger: GatewayLedgerHandle;
  namespace: string;
  keys: KeyCache;
  metrics: GatewayMetrics;
  adminToken: string | undefined;
  /** Whether `/metrics` may be read without the admin token (the gateway listens on loopback only). */
  openMetrics: boolean;
  /** The current `budget remaining` figures, read when `/metrics` is scraped. */
  budgetsRemaining(): Promise<void>;
  now(): number;
}

/**
 * The gateway's own endpoints: `GET /tokenledger/v1/usage` (every key's meter), `GET
 * /tokenledger/v1/usage/NAME`, `POST /tokenledger/v1/usage/NAME/reset` with the admin token (a key
 * may read its own meter with its own secret), and `GET /metrics`. Returns false when the path is
 * not one of them.
 */
export async function admin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path === '/metrics') {
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    if (!ctx.openMetrics && !isAdmin(ctx, req)) return unauthorized(res);
    await ctx.budgetsRemaining();
    const text = ctx.metrics.text();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  }
  if (!path.startsWith(ADMIN_PREFIX)) return false;
  const parts = path.slice(ADMIN_PREFIX.length).split('/').map(decodeURIComponent);
  if (parts[0] !== 'usage' || parts.length > 3 || (parts.length === 3 && parts[2] !== 'reset')) {
    sendJson(res, 404, { error: { message: `no such endpoint: ${path}` } });
    return true;
  }
  const name = parts[1];
  if (name === undefined || name === '') {
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    if (!isAdmin(ctx, req)) return unauthorized(res);
    const [meters, keys] = await Promise.all([ctx.ledger.keyMeters(ctx.namespace), ctx.ledger.gatewayKeys(ctx.namespace)]);
    const byName = new Map(keys.map((k) => [k.name, k]));
    sendJson(res, 200, { keys: meters.map((m) => meterJson(m, byName.get(m.name))) });
    return true;
  }
  if (parts.length === 3) {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    if (!isAdmin(ctx, req)) return unauthorized(res);
    const count = await ctx.ledger.resetMeters(ctx.namespace, [name], ctx.now());
    if (count === 0) return notFound(res, name);
    const [meter] = await ctx.ledger.keyMeters(ctx.namespace, [name]);
    sendJson(res, 200, meter === undefined ? { reset: count } : meterJson(meter, ctx.keys.byName(name)?.key));
    return true;
  }
  if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
  if (!isAdmin(ctx, req) && !isKeyItself(ctx, req, name)) return unauthorized(res);
  const [meter] = await ctx.ledger.keyMeters(ctx.namespace, [name]);
  if (meter === undefined) return notFound(res, name);
  sendJson(res, 200, meterJson(meter, ctx.keys.byName(name)?.key));
  return true;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(header)?.[1];
}

/** The admin token, compared in constant time (by digest, so lengths do not show either). */
function isAdmin(ctx: AdminContext, req: IncomingMessage): boolean {
  return sameSecret(bearer(req), ctx.adminToken);
}

function isKeyItself(ctx: AdminContext, req: IncomingMessage, name: string): boolean {
  const header = req.headers['x-tokenledger-key'];
  const secret = typeof header === 'string' ? header : (bearer(req) ?? (typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined));
  return secret !== undefined && ctx.keys.find(secret)?.key.name === name;
}

function unauthorized(res: ServerResponse): true {
  sendJson(res, 401, { error: { message: 'needs the admin token (Authorization: Bearer …), or the key itself for its own meter' } });
  return true;
}

function notFound(res: ServerResponse, name: string): true {
  sendJson(res, 404, { error: { message: `no gateway key named ${JSON.stringify(name)}` } });
  return true;
}

function methodNotAllowed(res: ServerResponse, allowed: string): true {
  sendJson(res, 405, { error: { message: `use ${allowed}` } }, { allow: allowed });
  return true;
}
