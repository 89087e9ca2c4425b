import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { allowanceChecks, RESERVATION_GRACE_MS, refusalMessage } from './admission.js';
import { BodyTooLarge, readBody } from './body-reader.js';
import type { RefusalReason } from './gateway-metrics.js';
import type { ActiveKey } from './key-cache.js';
import type { Prepared } from './provider.js';
import type { ProxyContext } from './proxy-context.js';
import { reservationFor } from './reservation.js';
import { sendError } from './respond.js';
import type { Route } from './router.js';
import { type Metering, settle } from './settle.js';
import { pump } from './stream-pump.js';
import { queryWithout, upstreamAuth } from './upstream-credential.js';
import { clientHeaders, sendUpstream, UpstreamFailure, upstreamHeaders } from './upstream-request.js';

const NO_BODY = Buffer.alloc(0);

/** What one request's metrics are labelled with, filled in as it is learnt. */
interface Outcome {
  key: string;
  model: string;
  status: number;
}

/**
 * Serves one request to an upstream: authenticates its gateway key, applies the key's rate limits,
 * reads the body (bounded), and either passes it through unmetered or meters it: prepare, reserve
 * against the key's budgets (refused with 402 before anything is sent), forward, pass the answer
 * through as it streams while its usage is read, and settle through the group commit (or release
 * the reservation when no usage came back).
 */
export async function proxy(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, route: Route, startedNs: bigint): Promise<Outcome> {
  const provider = route.upstream.provider;
  const outcome: Outcome = { key: '', model: '', status: 0 };
  const refuse = (status: number, reason: RefusalReason, type: string, message: string, headers?: Record<string, string>): Outcome => {
    ctx.metrics.refused(reason);
    sendError(res, provider.kind, status, type, message, headers);
    outcome.status = status;
    return outcome;
  };
  const now = ctx.now();
  const address = req.socket.remoteAddress ?? '';
  if (ctx.authThrottle.blocked(address, now)) return refuse(429, 'auth', 'rate_limit_error', 'too many failed authentications from this address: try again in a minute', { 'retry-after': '60' });
  const header = req.headers['x-tokenledger-key'];
  const gatewayHeader = typeof header === 'string' && header !== '' ? header : undefined;
  const secret = gatewayHeader ?? provider.clientKey(req.headers, route.query);
  const active = secret === undefined ? undefined : ctx.keys.find(secret);
  if (active === undefined) {
    ctx.authThrottle.failed(address, now);
    ctx.metrics.authFailures.add({});
    const message = secret === undefined ? 'no gateway key: send it where the provider API key goes, or in x-tokenledger-key' : 'unknown or revoked gateway key';
    return refuse(401, 'auth', 'authentication_error', message);
  }
  const key = active.key;
  outcome.key = key.name;
  const rate = ctx.rates.admit(key.name, key.rpm, key.tpm, now);
  if (rate !== 'ok') {
    const limit = rate === 'rpm' ? `${key.rpm} requests` : `${key.tpm} tokens`;
    return refuse(429, 'rate', 'rate_limit_error', `gateway key "${key.name}" is over its limit of ${limit} per minute`, { 'retry-after': '10' });
  }
  let body: Buffer | undefined;
  // The gateway's own time excludes waiting for the client to send its body.
  let waitedNs = 0n;
  const overhead = (): void => ctx.metrics.overhead.observe({}, Number(process.hrtime.bigint() - startedNs - waitedNs) / 1e9);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const reading = process.hrtime.bigint();
    try {
      body = await readBody(req, ctx.settings.limits.maxBodyBytes);
      waitedNs = process.hrtime.bigint() - reading;
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.shouldKeepAlive = false;
        return refuse(413, 'body_size', 'request_too_large', error.message);
      }
      outcome.status = 499;
      return outcome;
    }
  }
  const auth = upstreamAuth(ctx, route, gatewayHeader, req.headers.authorization);
  const search = queryWithout(route.query, provider.credentialParams);
  const prepare = route.operation.prepare;
  if (prepare === undefined) {
    const headers = upstreamHeaders(req.headers, provider.credentialHeaders, auth, body?.length);
    overhead();
    return forward(ctx, res, route, req.method ?? 'GET', search, headers, body, undefined, outcome);
  }
  const prepared = prepare(body ?? NO_BODY);
  if ('error' in prepared) return refuse(400, 'bad_request', 'invalid_request_error', prepared.error);
  outcome.model = prepared.model;
  let reservationId: string | undefined;
  if (active.budgets.length > 0) {
    const refusal = await reserve(ctx, provider.pricingProvider, active, prepared, body?.length ?? 0, now);
    if (typeof refusal === 'object') return refuse(refusal.status, refusal.reason, refusal.type, refusal.message, refusal.headers);
    reservationId = refusal;
  }
  const headers = upstreamHeaders(req.headers, provider.credentialHeaders, auth, prepared.body.length);
  overhead();
  return forward(ctx, res, route, req.method ?? 'POST', search, headers, prepared.body, { prepared, active, reservationId, bodyChanged: prepared.body !== body }, outcome);
}

/** Reserves the most the request can cost: the reservation's id, or why it is refused. */
async function reserve(
  ctx: ProxyContext,
  pricingProvider: string,
  active: ActiveKey,
  prepared: Prepared,
  bodyBytes: number,
  now: number,
): Promise<string | { status: number; reason: RefusalReason; type: string; message: string; headers?: Record<string, string> }> {
  const amount = reservationFor(ctx.table, pricingProvider, prepared, bodyBytes, now);
  if ('unpriced' in amount) {
    return {
      status: 400,
      reason: 'budget',
      type: 'invalid_request_error',
      message: `model "${amount.unpriced}" has no price in tokenledger's price data, so gateway key "${active.key.name}" (which has a budget) cannot use it; add a price for it in the config`,
    };
  }
  const { checks, windows } = allowanceChecks(active.budgets, now, ctx.periods);
  const id = randomUUID();
  try {
    const result = await ctx.writes.admit({
      id,
      namespace: ctx.namespace,
      key: active.key.name,
      amountNanos: amount.amountNanos,
      checks,
      at: now,
      expiresAt: now + ctx.settings.limits.upstreamFirstByteTimeoutMs + RESERVATION_GRACE_MS,
    });
    if (result.admitted) return id;
    return { status: 402, reason: 'budget', type: 'budget_exceeded', message: refusalMessage(active.key.name, result, active.budgets, windows) };
  } catch (error) {
    // Fail closed: a budget that cannot be checked is not spent. Keys without budgets go on.
    ctx.log(`tokenledger gateway: cannot admit a request of key "${active.key.name}": ${error instanceof Error ? error.message : String(error)}`);
    return {
      status: 503,
      reason: 'ledger_unavailable',
      type: 'api_error',
      message: 'the gateway cannot reach its ledger to check the budget; nothing was sent',
      headers: { 'retry-after': '5' },
    };
  }
}

async function forward(
  ctx: ProxyContext,
  res: ServerResponse,
  route: Route,
  method: string,
  search: string,
  headers: ReturnType<typeof upstreamHeaders>,
  body: Buffer | undefined,
  metering: Metering | undefined,
  outcome: Outcome,
): Promise<Outcome> {
  const limits = ctx.settings.limits;
  const kind = route.upstream.provider.kind;
  let upstream: IncomingMessage;
  // While the upstream thinks, the client has nothing to send or read: the upstream's own timeouts
  // bound the wait, not the client connection's idle timeout (which applies again once the answer flows).
  const socket = res.socket;
  socket?.setTimeout(0);
  try {
    upstream = await sendUpstream(
      {
        upstream: route.upstream,
        path: route.operation.upstreamPath,
        search,
        method,
        headers,
        body,
        connectTimeoutMs: limits.upstreamConnectTimeoutMs,
        firstByteTimeoutMs: limits.upstreamFirstByteTimeoutMs,
      },
      ctx.agents,
    );
  } catch (error) {
    if (metering?.reservationId !== undefined) ctx.commits.release(metering.reservationId);
    const failure = error instanceof UpstreamFailure ? error : new UpstreamFailure('unreachable', `${route.upstream.name} could not be reached`);
    const timedOut = failure.reason !== 'unreachable';
    if (timedOut) ctx.metrics.refused('timeout');
    outcome.status = timedOut ? 504 : 502;
    sendError(res, kind, outcome.status, timedOut ? 'timeout_error' : 'api_error', failure.message);
    return outcome;
  } finally {
    socket?.setTimeout(limits.idleTimeoutMs);
  }
  outcome.status = upstream.statusCode ?? 502;
  if (!res.destroyed) res.writeHead(outcome.status, clientHeaders(upstream.headers, metering?.bodyChanged ?? false));
  if (metering === undefined) {
    await pump(upstream, res, (chunk) => chunk, { drainBytes: 0, drainMs: 0 });
    return outcome;
  }
  const reader = metering.prepared.reader(outcome.status, upstream.headers);
  const complete = await pump(upstream, res, (chunk) => reader.write(chunk), limits);
  settle(ctx, route, metering, reader.end(complete));
  return outcome;
}
