import { badArgument } from '../core/errors.js';
import { apiError, errorAnswer, errorResponse } from './api-error.js';

/** What a budget write takes: the amount (to set), the period and the scope, as `budget set` and `budget remove` do. */
export interface BudgetTarget {
  period?: string;
  scope?: string;
}

/** Sets and removes budgets in the served ledger; each returns the JSON document answered. */
export interface BudgetWrites {
  set(usd: string, target: BudgetTarget): Promise<unknown>;
  remove(target: BudgetTarget): Promise<unknown>;
}

const MAX_BODY_BYTES = 16 * 1024;

/** `POST /api/v1/budgets` with `{"usd": "50", "period": "month", "scope": "global"}`. */
export async function setBudget(writes: BudgetWrites, request: Request): Promise<Response> {
  try {
    const body = await jsonBody(request);
    const usd = typeof body.usd === 'number' ? String(body.usd) : body.usd;
    if (typeof usd !== 'string') throw badArgument('the body needs "usd": the budget in US dollars, e.g. "50" or "12.5"');
    return json(201, await writes.set(usd, target(body)));
  } catch (error) {
    return errorResponse(errorAnswer(error));
  }
}

/** `DELETE /api/v1/budgets?scope=…&period=…`. */
export async function removeBudget(writes: BudgetWrites, query: URLSearchParams): Promise<Response> {
  try {
    const params = Object.fromEntries(query);
    for (const name of Object.keys(params)) if (name !== 'scope' && name !== 'period') throw badArgument(`unknown parameter "${name}": DELETE /api/v1/budgets takes scope and period`);
    return json(200, await writes.remove(target(params)));
  } catch (error) {
    return errorResponse(errorAnswer(error));
  }
}

function target(fields: Record<string, unknown>): BudgetTarget {
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badArgument(`"${name}" must be a string`);
    return value;
  };
  const period = text('period');
  const scope = text('scope');
  return { ...(period === undefined ? {} : { period }), ...(scope === undefined ? {} : { scope }) };
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) throw badArgument('send the budget as JSON (content-type: application/json)');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw badArgument('the body is too large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badArgument('the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badArgument('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function json(status: number, document: unknown): Response {
  return new Response(`${JSON.stringify(document, null, 2)}\n`, { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Answered when no admin token is configured or the request lacks it. */
export function writeRefused(configured: boolean): Response {
  return errorResponse(
    configured
      ? apiError(401, 'UNAUTHORIZED', 'writing needs the admin token (Authorization: Bearer …)')
      : apiError(403, 'FORBIDDEN', 'writing is off: no admin token is configured', 'set TOKENLEDGER_ADMIN_TOKEN (or gateway.adminToken in the config) and start the server again'),
  );
}
