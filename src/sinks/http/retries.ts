import { describeError } from '../../core/errors.js';
import { redactUrls } from '../../core/redact-url.js';

/** Never wait longer than this for a server's Retry-After: an export is a short command. */
const MAX_RETRY_AFTER_MS = 30_000;

/** One POST attempt's outcome, before the retry decision. */
export interface PostAttempt {
  /** The HTTP status, or null when there was none (network error, timeout). */
  status: number | null;
  error?: string;
  /** How long the server asked to wait before the next attempt. */
  retryAfterMs?: number;
}

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Wait before the first retry, doubled for each one after (plus up to 10 % jitter). */
  backoffMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Whether a status may pass on a later attempt (a network error or timeout always may). */
  retryable(status: number): boolean;
}

/**
 * Runs `attempt` until it gets a 2xx, a status `policy` does not retry, or the retries run out,
 * waiting as the server's Retry-After asks or else the doubling backoff. The last attempt comes back
 * with its failure text's URLs redacted: the one place every failure text leaves through.
 */
export async function retrying<A extends PostAttempt>(attempt: () => Promise<A>, policy: RetryPolicy): Promise<{ last: A; ok: boolean; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    const last = await attempt();
    const ok = last.status !== null && last.status >= 200 && last.status < 300;
    const retryable = last.status === null || policy.retryable(last.status);
    if (ok || !retryable || attempts > policy.retries) {
      const { error, ...rest } = last;
      return { last: (ok || error === undefined ? rest : { ...rest, error: redactUrls(error) }) as A, ok, attempts };
    }
    const backoff = policy.backoffMs * 2 ** (attempts - 1);
    await policy.sleep(last.retryAfterMs ?? Math.round(backoff + Math.random() * backoff * 0.1));
  }
}

/** A numeric Retry-After, capped; an HTTP date (rare from these receivers) falls back to the backoff. */
export function retryAfter(header: string | null): { retryAfterMs?: number } {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return {};
  return { retryAfterMs: Math.min(Number(header) * 1000, MAX_RETRY_AFTER_MS) };
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
export function networkFailure(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? describeError(error) : `${describeError(error)}: ${describeError(cause)}`;
}

/** Waits with a timer: the default `sleep` of a policy. */
export function sleepMs(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}
