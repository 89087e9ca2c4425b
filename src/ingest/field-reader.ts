import { MAX_TOKENS_PER_FIELD, MAX_TOKENS_TEXT } from '../core/event-bounds.js';
import { fail } from './field-error.js';

/** The bound of a count read: one request's token field (the default), or a task's running total. */
export interface CountBound {
  max: number;
  text: string;
}

const PER_REQUEST: CountBound = { max: MAX_TOKENS_PER_FIELD, text: MAX_TOKENS_TEXT };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Reads typed fields of one JSON object; throws a `FieldProblem` at the first bad one. */
export class FieldReader {
  readonly #record: Record<string, unknown>;

  constructor(record: Record<string, unknown>, allowed: ReadonlySet<string>) {
    this.#record = record;
    for (const key of Object.keys(record)) {
      if (!allowed.has(key)) fail({ field: key, problem: `is not a field of this record (allowed: ${[...allowed].join(', ')}; put your own data under "meta")`, value: record[key] });
    }
  }

  /** The value, with null read as absent. */
  raw(field: string): unknown {
    const value = this.#record[field];
    return value === null ? undefined : value;
  }

  has(field: string): boolean {
    return this.raw(field) !== undefined;
  }

  /**
   * A token count: a whole number from 0 to `bound` (by default 10^9, one request's field as
   * `core/event-bounds.ts` bounds it); absent is 0, or an error when required.
   */
  count(field: string, required: boolean, bound: CountBound = PER_REQUEST): number {
    const value = this.raw(field);
    if (value === undefined) {
      if (required) fail({ field, problem: 'is required (a whole number ≥ 0)' });
      return 0;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail({ field, problem: 'must be a whole number ≥ 0', value });
    if (value > bound.max) fail({ field, problem: `is above ${bound.text} tokens`, value });
    return value;
  }

  /** Text of 1 to `max` characters (a whole number is taken as its digits); absent is undefined. */
  text(field: string, required: boolean, max = 256): string | undefined {
    const value = this.raw(field);
    if (value === undefined) {
      if (required) fail({ field, problem: 'is required (text)' });
      return undefined;
    }
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string') fail({ field, problem: 'must be text', value });
    if (text.trim() === '') fail({ field, problem: 'must not be empty', value });
    if (text.length > max) fail({ field, problem: `must be at most ${max} characters`, value: text });
    return text;
  }

  /** A name such as an agent or provider id: letters, digits, dots, dashes, underscores (at most 64). */
  name(field: string): string | undefined {
    const value = this.raw(field);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !NAME.test(value)) fail({ field, problem: 'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit', value });
    return value;
  }
}
