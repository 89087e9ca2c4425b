import { Hono } from 'hono';
import { type Access, isLoopbackUrl, mayRead, mayWrite, tokenCookie } from './access.js';
import { apiError, errorResponse } from './api-error.js';
import { type BudgetWrites, removeBudget, setBudget, writeRefused } from './budget-routes.js';
import type { ChangeFeed } from './change-feed.js';
import { Dashboard } from './dashboard.js';
import { EventStreams } from './event-stream.js';
import { answerReport, type ReportServing } from './report-answer.js';
import { reportIndex } from './report-index.js';
import { applySecurityHeaders } from './security-headers.js';
import { sameSecret } from '../core/same-secret.js';

/** First path segments the server answers itself (an upstream of the same name would hide them). */
export const SERVER_SEGMENTS: readonly string[] = ['api', 'assets', 'login', 'sessions', 'models', 'projects', 'users', 'keys', 'analysis', 'budgets'];

export interface AppOptions extends ReportServing {
  access: Access;
  /** Tells `/api/v1/events` when the ledger changed. */
  changes: ChangeFeed;
  /** Budget set and remove (absent: the ledger cannot be written here). */
  budgets?: BudgetWrites;
  /** The dashboard's built files (`dist/web` of the package). */
  dashboardDir: string;
  keepAliveMs?: number;
}

/** The server as a function of requests: tests call `fetch` in-process, `serve.ts` listens with it. */
export interface ServerApp {
  fetch(request: Request): Promise<Response>;
  /** Ends the open event streams (the server stops). */
  close(): void;
}

/**
 * The dashboard and the JSON API: `GET /api/v1` (the reports and their parameters), `GET
 * /api/v1/<report>`, `POST`/`DELETE /api/v1/budgets` (admin token), `GET /api/v1/events`
 * (server-sent events), `GET /login?token=…`, and the page for every view. Every answer carries the
 * security headers; reading needs a token off loopback; writing always needs the admin token.
 */
export function createApp(options: AppOptions): ServerApp {
  const { access } = options;
  const app = new Hono();
  const streams = new EventStreams(options.changes, options.keepAliveMs);
  const dashboard = new Dashboard(options.dashboardDir);
  const refuse = (status: number, code: string, message: string, hint?: string): Response => errorResponse(apiError(status, code, message, hint));

  app.use(async (c, next) => {
    await next();
    applySecurityHeaders((name, value) => c.res.headers.set(name, value));
  });

  app.use(async (c, next) => {
    const headers = c.req.raw.headers;
    // Open to read on loopback: only for pages this machine's names serve (not a rebound DNS name).
    if (access.readToken === undefined && !isLoopbackUrl(c.req.url)) return refuse(403, 'FORBIDDEN', 'this server answers requests to a loopback name only (localhost, 127.0.0.1, [::1])');
    if (c.req.path === '/login') return next();
    if (!mayRead(access, headers)) return refuse(401, 'UNAUTHORIZED', 'reading needs the token: Authorization: Bearer …, or open /login?token=… once in the browser');
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && !mayWrite(access, headers)) return writeRefused(access.adminToken !== undefined);
    return next();
  });

  app.get('/login', (c) => {
    const token = c.req.query('token');
    if (access.readToken === undefined) return c.redirect('/', 303);
    if (token === undefined || !(sameSecret(token, access.readToken) || sameSecret(token, access.adminToken))) return refuse(401, 'UNAUTHORIZED', 'that is not the token this server was started with');
    c.header('set-cookie', tokenCookie(access, token));
    c.header('cache-control', 'no-store');
    return c.redirect('/', 303);
  });

  app.get('/api/v1', () => new Response(`${JSON.stringify(reportIndex(options.reports), null, 2)}\n`, { headers: { 'content-type': 'application/json; charset=utf-8' } }));
  app.get('/api/v1/events', (c) => streams.answer(c));
  // A budget written here changes what open pages show: they are told at once.
  const written = async (answer: Promise<Response>): Promise<Response> => {
    const response = await answer;
    if (response.ok) options.changes.tell();
    return response;
  };
  app.post('/api/v1/budgets', (c) => (options.budgets === undefined ? readOnly() : written(setBudget(options.budgets, c.req.raw))));
  app.delete('/api/v1/budgets', (c) => (options.budgets === undefined ? readOnly() : written(removeBudget(options.budgets, new URL(c.req.url).searchParams))));
  app.get('/api/v1/*', (c) => {
    const parts = c.req.path.slice('/api/v1/'.length).split('/');
    let segments: string[];
    try {
      segments = parts.map(decodeURIComponent);
    } catch {
      return refuse(400, 'BAD_ARGUMENT', 'the path is not validly percent-encoded');
    }
    const [name = '', ...args] = segments;
    return answerReport(options, name, args, new URL(c.req.url).searchParams);
  });
  app.all('/api/*', (c) => refuse(c.req.method === 'GET' ? 404 : 405, c.req.method === 'GET' ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED', `no endpoint ${c.req.method} ${c.req.path}`));
  app.get('*', async (c) => {
    const page = await dashboard.answer(c.req.path, new URL(c.req.url).searchParams, c.req.header('if-none-match') ?? null);
    return page ?? refuse(404, 'NOT_FOUND', `nothing at ${c.req.path}`);
  });
  app.notFound((c) => refuse(404, 'NOT_FOUND', `nothing at ${c.req.method} ${c.req.path}`));
  app.onError((error) => {
    options.log?.(`tokenledger serve: internal error: ${error instanceof Error ? error.message : String(error)}`);
    return refuse(500, 'INTERNAL', 'internal error: the server could not answer (its log says more)');
  });

  const readOnly = (): Response => refuse(403, 'READ_ONLY', 'the served ledger cannot be written here');
  return {
    fetch: async (request) => app.fetch(request),
    close: () => streams.closeAll(),
  };
}
