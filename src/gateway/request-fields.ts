import { findJsonBreak } from '../core/json-syntax.js';
import { JsonCursor, KeySet } from '../sources/shared/json-cursor.js';
import type { PrepareError } from './provider.js';

/**
 * The few top-level members of a request body the gateway needs (model, stream, max tokens),
 * read without building the rest: a long conversation is jumped over, not parsed. A body that is
 * not a JSON object is a PrepareError naming the problem (never echoing the body).
 */
export class RequestFields {
  readonly #keys: KeySet;
  readonly #names: readonly string[];

  constructor(names: readonly string[]) {
    this.#names = names;
    this.#keys = new KeySet(names);
  }

  /** The members found (absent ones are not in the map), or why the body cannot be read. */
  read(body: Buffer): Map<string, unknown> | PrepareError {
    const c = new JsonCursor();
    c.reset(body, 0, body.length);
    c.skipSpace();
    if (!c.openObject()) return notAnObject(body);
    const found = new Map<string, unknown>();
    for (let first = true; c.member(first); first = false) {
      const index = this.#keys.find(c);
      if (index === -1) c.skipValue();
      else found.set(this.#names[index] as string, c.readValue());
    }
    if (c.failed || !c.atEnd()) return notAnObject(body);
    return found;
  }

  /**
   * A metered request that names its model in its body: the model (a request without one is a
   * PrepareError), whether it asks for a stream, and the other members found.
   */
  readModelRequest(body: Buffer): { fields: Map<string, unknown>; model: string; stream: boolean } | PrepareError {
    const fields = this.read(body);
    if (!(fields instanceof Map)) return fields;
    const model = fields.get('model');
    if (typeof model !== 'string' || model === '') return { error: 'the request names no model' };
    return { fields, model, stream: fields.get('stream') === true };
  }
}

function notAnObject(body: Buffer): PrepareError {
  const text = body.toString('utf8');
  // Where and why the JSON breaks, never the text around it (a body may hold secrets).
  const found = findJsonBreak(text);
  if (found !== undefined) return { error: `the request body is not valid JSON: ${found.reason} at character ${found.offset + 1}` };
  return { error: 'the request body must be a JSON object' };
}

/** A `max_tokens`-style value: a positive whole number, else undefined. */
export function maxTokens(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
