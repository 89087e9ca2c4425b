import { networkFailure, type PostAttempt, retryAfter, retrying, sleepMs } from '../http/retries.js';

export interface OtlpPostOptions {
  headers: Record<string, string>;
  /** Per attempt, reply included. */
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  /** Wait before the first retry, doubled for each one after (plus up to 10 % jitter). Default 500. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface OtlpPostResult {
  /** True only when the last attempt got a 2xx: the receiver holds the request. */
  ok: boolean;
  status: number | null;
  attempts: number;
  /** Why the last attempt failed (URLs in it redacted); absent when `ok`. */
  error?: string;
  /** Data points the receiver said it rejected in a 2xx reply (`partialSuccess`), when it said so in JSON. */
  rejected?: number;
  rejectedReason?: string;
}

/** OTLP/HTTP: only these statuses (and network errors, timeouts) may pass on a later attempt. */
const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_ERROR_BODY_CHARS = 200;

/**
 * POSTs one encoded export request, retrying as the OTLP specification allows: 429, 502, 503 and
 * 504 (after the server's Retry-After seconds, up to 30 s), network errors and timeouts, with a
 * doubling backoff. Failures are returned, never thrown. Redirects are not followed (a POST turned
 * into a GET would pass for delivered).
 */
export async function postOtlp(url: URL, body: Uint8Array, contentType: string, options: OtlpPostOptions): Promise<OtlpPostResult> {
  const headers = new Headers({ 'user-agent': 'tokenledger' });
  for (const [name, value] of Object.entries(options.headers)) headers.set(name, value);
  headers.set('content-type', contentType);
  const { last, ok, attempts } = await retrying(() => attemptPost(url, body, headers, options.timeoutMs), {
    retries: options.retries,
    backoffMs: options.backoffMs ?? 500,
    sleep: options.sleep ?? sleepMs,
    retryable: (status) => RETRYABLE.has(status),
  });
  const { retryAfterMs: _wait, ...rest } = last;
  return { ...rest, ok, attempts };
}

interface Attempt extends PostAttempt {
  rejected?: number;
  rejectedReason?: string;
}

async function attemptPost(url: URL, body: Uint8Array, headers: Headers, timeoutMs: number): Promise<Attempt> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    if (response.ok) return { status: response.status, ...(await partialSuccess(response)) };
    return {
      status: response.status,
      error: await failureText(response),
      ...(RETRYABLE.has(response.status) ? retryAfter(response.headers.get('retry-after')) : {}),
    };
  } catch (error) {
    if (signal.aborted) return { status: null, error: `no answer within ${timeoutMs} ms` };
    return { status: null, error: networkFailure(error) };
  }
}

/** A JSON reply's `partialSuccess` (a protobuf reply is released unread). */
async function partialSuccess(response: Response): Promise<Pick<Attempt, 'rejected' | 'rejectedReason'>> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    await response.body?.cancel().catch(() => undefined);
    return {};
  }
  try {
    const reply = JSON.parse(await response.text()) as { partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string } };
    const rejected = Number(reply.partialSuccess?.rejectedDataPoints ?? 0);
    if (!(rejected > 0)) return {};
    return { rejected, ...(typeof reply.partialSuccess?.errorMessage === 'string' ? { rejectedReason: reply.partialSuccess.errorMessage.slice(0, MAX_ERROR_BODY_CHARS) } : {}) };
  } catch {
    return {};
  }
}

async function failureText(response: Response): Promise<string> {
  const head = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    return `${head}: a redirect; give the address it points to`;
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json') && !type.startsWith('text/')) {
    await response.body?.cancel().catch(() => undefined);
    return head;
  }
  try {
    const text = (await response.text()).trim().replace(/\s+/g, ' ');
    if (text === '') return head;
    return `${head}: ${text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text}`;
  } catch {
    return head;
  }
}
