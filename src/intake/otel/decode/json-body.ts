import { OtlpDecodeError } from './otlp-decode-error.js';
import type { JsonObject } from './json-fields.js';

const utf8 = new TextDecoder();

/** Parses a JSON export request: its top level must be an object. */
export function parseJsonBody(body: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new OtlpDecodeError(`JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new OtlpDecodeError('JSON body: expected an object at the top level');
  return parsed as JsonObject;
}
