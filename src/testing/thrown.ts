import { expect } from 'vitest';
import { TokenledgerError } from '../core/errors.js';

/** The error of class `kind` that `fn` throws (failing the test when it throws nothing, or something else). */
export function thrownAs<E extends Error>(fn: () => unknown, kind: new (...args: never[]) => E): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** The TokenledgerError `fn` throws (failing the test when it throws nothing, or something else). */
export function thrown(fn: () => unknown): TokenledgerError {
  return thrownAs(fn, TokenledgerError);
}
