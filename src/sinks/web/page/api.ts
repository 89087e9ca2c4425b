import { type Filters, queryFromFilters } from '../filters.js';

/** A failed API call, with the CLI's message the API answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Report-specific flags: text values, or `true` for a flag without a value (`?breakdown`). */
export type ReportFlags = Record<string, string | true | undefined>;

/** `/api/v1/<report>?<filters>&<flags>`: the CLI's flags as query parameters. */
export function reportUrl(report: string, filters: Filters, flags: ReportFlags = {}): string {
  const base = queryFromFilters(filters);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    parts.push(value === true ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  const extra = parts.join('&');
  const query = base === '' ? (extra === '' ? '' : `?${extra}`) : extra === '' ? base : `${base}&${extra}`;
  return `/api/v1/${encodeURIComponent(report)}${query}`;
}

/** Fetches one report's JSON document. */
export async function getReport<T>(report: string, filters: Filters, flags: ReportFlags = {}, signal?: AbortSignal): Promise<T> {
  const response = await fetch(reportUrl(report, filters, flags), { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  return (await readJson(response)) as T;
}

/** Sends a write (budgets) with the admin token the user typed. */
export async function send(method: 'POST' | 'DELETE', path: string, token: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return readJson(response);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ApiError(response.status, `the server answered ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) throw new ApiError(response.status, errorMessage(body) ?? `the server answered ${response.status}`);
  return body;
}

function errorMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    const { message, hint } = error as { message: string; hint?: unknown };
    return typeof hint === 'string' && hint !== '' ? `${message} (${hint})` : message;
  }
  return undefined;
}
