import { TokenledgerError } from '../../core/errors.js';
import { redactUrls } from '../../core/redact-url.js';
import { networkFailure, type PostAttempt, retryAfter, retrying, sleepMs } from '../http/retries.js';

export interface WebhookOptions {
  /** Extra headers (see `parseWebhookHeaders`); they override the defaults of the same name. */
  headers?: Record<string, string>;
  /** Per attempt, response body included. Default 10 000. */
  timeoutMs?: number;
  /** Attempts after the first. Default 3, so at most 4 attempts. */
  retries?: number;
  /** Wait before the first retry, doubled for each one after (plus up to 10 % jitter). Default 500. */
  backoffMs?: number;
  /** How to wait between attempts; tests pass one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface WebhookResult {
  /** True only when the last attempt got a 2xx. */
  ok: boolean;
  /** The last attempt's HTTP status, or null when it got none (network error, timeout). */
  status: number | null;
  attempts: number;
  /** Why the last attempt failed; absent when `ok`. */
  error?: string;
  elapsedMs: number;
}

/** How much of an error response's body is kept in `error` (Slack says "invalid_payload" there). */
const MAX_ERROR_BODY_CHARS = 200;

/**
 * POSTs `body` as JSON to `url`, retrying what may pass on a second try: network errors, timeouts,
 * 5xx and 429 (waiting as its numeric Retry-After asks, up to 30 s). Other 4xx are the request's own
 * fault and are not retried. HTTP and network failures are reported in the result, never thrown: the
 * caller decides what a failed post means. Only arguments that make no request possible throw.
 */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions = {}): Promise<WebhookResult> {
  const { target, authorization } = webhookUrl(url);
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
  const retries = count('retries', options.retries ?? 3);
  const backoffMs = atLeastZero('backoffMs', options.backoffMs ?? 500);
  const sleep = options.sleep ?? sleepMs;
  const headers = requestHeaders(authorization, options.headers ?? {});
  // Serialized once: every attempt sends the same bytes.
  const payload = JSON.stringify(body) ?? 'null';

  const started = performance.now();
  const { last, ok, attempts } = await retrying(() => attemptPost(target, payload, headers, timeoutMs), {
    retries,
    backoffMs,
    sleep,
    retryable: (status) => status >= 500 || status === 429,
  });
  return { ok, status: last.status, attempts, ...(last.error === undefined ? {} : { error: last.error }), elapsedMs: Math.round(performance.now() - started) };
}

async function attemptPost(url: URL, payload: string, headers: Headers, timeoutMs: number): Promise<PostAttempt> {
  // One signal covers the connection, the response head and the body we read: a server that answers
  // its headers and then stalls must not hang the export either.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // Redirects are not followed: fetch would turn a 301/302 POST into a body-less GET and then
    // report the redirected page's 200 as a delivered webhook.
    const response = await fetch(url, { method: 'POST', headers, body: payload, signal, redirect: 'manual' });
    if (response.ok) {
      // Delivered; the receiver's reply is not ours to read, only to release.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    }
    return {
      status: response.status,
      error: await failureText(response),
      ...(response.status === 429 ? retryAfter(response.headers.get('retry-after')) : {}),
    };
  } catch (error) {
    if (signal.aborted) return { status: null, error: `no answer within ${timeoutMs} ms` };
    return { status: null, error: networkFailure(error) };
  }
}

/** `HTTP 404 Not Found: <start of body>`, or where a redirect pointed. */
async function failureText(response: Response): Promise<string> {
  const head = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location !== null) {
    await response.body?.cancel().catch(() => undefined);
    return `${head}: redirected to ${absolute(location, response.url)}; use that address as the webhook URL`;
  }
  let text: string;
  try {
    text = (await response.text()).trim().replace(/\s+/g, ' ');
  } catch {
    // The status is the answer; a body that breaks off or times out adds nothing to it.
    return head;
  }
  if (text === '') return head;
  return `${head}: ${text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text}`;
}

/** A relative Location is shown resolved against the address that answered. */
function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/**
 * The address to post to, without its userinfo: fetch refuses a URL with credentials, so
 * `https://user:password@host/` is sent to `https://host/` with `Authorization: Basic` instead.
 */
function webhookUrl(url: string): { target: URL; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TokenledgerError('BAD_ARGUMENT', `the webhook URL is not a URL: ${JSON.stringify(redactUrls(url))}`, {
      hint: 'Give a full address such as https://hooks.example.com/tokenledger.',
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TokenledgerError('BAD_ARGUMENT', `the webhook URL must be http or https, not ${parsed.protocol.replace(/:$/, '')}`, {
      hint: 'Give a full address such as https://hooks.example.com/tokenledger.',
    });
  }
  if (parsed.username === '' && parsed.password === '') return { target: parsed };
  let credentials: string;
  try {
    credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  } catch {
    throw new TokenledgerError('BAD_ARGUMENT', 'the user name or password of the webhook URL has a malformed %-escape', {
      hint: 'Write a reserved character of the password as %XX, e.g. %40 for @.',
    });
  }
  parsed.username = '';
  parsed.password = '';
  return { target: parsed, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

/** Defaults first, so that a header given by the user replaces ours (names compare without case). */
function requestHeaders(authorization: string | undefined, extra: Record<string, string>): Headers {
  const headers = new Headers({ 'content-type': 'application/json', 'user-agent': 'tokenledger' });
  if (authorization !== undefined) headers.set('authorization', authorization);
  for (const [name, value] of Object.entries(extra)) {
    try {
      headers.set(name, value);
    } catch {
      // Caught here rather than failing every attempt. Neither fetch's message nor its error is kept:
      // both hold the value, which is often a token.
      throw new TokenledgerError('BAD_ARGUMENT', `webhook header ${name} cannot be sent: names must be HTTP tokens, values Latin-1 without line breaks`);
    }
  }
  return headers;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TokenledgerError('BAD_ARGUMENT', `webhook ${name} must be a positive number, not ${value}`);
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new TokenledgerError('BAD_ARGUMENT', `webhook ${name} must be a number of 0 or more, not ${value}`);
  return value;
}

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TokenledgerError('BAD_ARGUMENT', `webhook ${name} must be a whole number of 0 or more, not ${value}`);
  return value;
}
