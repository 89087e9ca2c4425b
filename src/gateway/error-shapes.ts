/**
 * Errors the gateway itself answers, in the shape each provider's clients parse (so an SDK raises
 * its ordinary error class with our message): by provider kind, a registry rather than a switch.
 */
export type ErrorShape = (status: number, type: string, message: string) => unknown;

const anthropic: ErrorShape = (_status, type, message) => ({ type: 'error', error: { type, message } });
const openai: ErrorShape = (_status, type, message) => ({ error: { message, type, param: null, code: type } });
const gemini: ErrorShape = (status, type, message) => ({ error: { code: status, message, status: GOOGLE_STATUS[status] ?? type.toUpperCase() } });

/** The canonical status names Google APIs give HTTP statuses. */
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  402: 'RESOURCE_EXHAUSTED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const SHAPES: Record<string, ErrorShape> = { anthropic, openai, gemini, 'openai-compatible': openai };

/** The error body for clients of `kind` (an unknown kind: OpenAI's, which most clients read). */
export function errorBody(kind: string, status: number, type: string, message: string): string {
  return JSON.stringify((SHAPES[kind] ?? openai)(status, type, message));
}
