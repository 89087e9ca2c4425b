import { expect } from 'vitest';
import { TokenledgerError } from '../core/errors.js';

/** The TokenledgerError `fn` throws (failing the test when it throws nothing, or something else). */
export function thrown(fn: () => unknown): TokenledgerError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    return error as TokenledgerError;
  }
  throw new Error('expected an error');
}
