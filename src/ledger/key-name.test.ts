import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { checkKeyName } from './key-name.js';

describe('checkKeyName', () => {
  it('takes 1-64 letters, digits, dots, dashes and underscores', () => {
    for (const name of ['a', 'ci-bot', 'team.alice_2', 'x'.repeat(64)]) expect(checkKeyName(name)).toBe(name);
  });

  it('refuses anything else as a bad argument', () => {
    for (const name of ['', 'x'.repeat(65), 'a b', 'a/b', 'é', 'a:b']) {
      const error = (() => {
        try {
          checkKeyName(name);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(TokenledgerError);
      expect((error as TokenledgerError).code).toBe('BAD_ARGUMENT');
    }
  });
});
