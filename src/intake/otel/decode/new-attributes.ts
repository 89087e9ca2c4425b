import type { Attributes } from '../otlp-record.js';

/** A new attributes object: a null prototype, so a key like `__proto__` is an ordinary key. */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}
