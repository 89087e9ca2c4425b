import { redactUrls } from '../core/redact-url.js';
import { EXIT, TokenledgerError } from '../core/errors.js';

/** The JSON of an error answer: `{ "error": { "code", "message", "hint"? } }`. */
export interface ApiError {
  status: number;
  body: { error: { code: string; message: string; hint?: string } };
}

/** An error answer of the API's shape. */
export function apiError(status: number, code: string, message: string, hint?: string): ApiError {
  return { status, body: { error: { code, message, ...(hint === undefined ? {} : { hint }) } } };
}

/**
 * What a failure answers: the CLI's message (URLs redacted) with 400 for what the request got
 * wrong, 500 for the rest; anything not of tokenledger's error family is an internal error whose
 * text is not shown (it may quote a connection string or a stack).
 */
export function errorAnswer(error: unknown): ApiError {
  if (error instanceof TokenledgerError) {
    const status = error.exitCode === EXIT.usage ? 400 : 500;
    return apiError(status, error.code, redactUrls(error.message), error.hint === undefined ? undefined : redactUrls(error.hint));
  }
  return apiError(500, 'INTERNAL', 'internal error: the server could not answer (its log says more)');
}

/** The error as a `Response` (JSON, `no-store`). */
export function errorResponse(error: ApiError): Response {
  return new Response(`${JSON.stringify(error.body, null, 2)}\n`, {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
