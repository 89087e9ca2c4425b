import { badArgument } from '../core/errors.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A gateway key's name: 1-64 letters, digits, dots, dashes or underscores. It names the key's
 * events (their session), its `key:` budgets and its metrics label, so nothing else is allowed.
 */
export function checkKeyName(name: string): string {
  if (!NAME.test(name)) throw badArgument(`invalid gateway key name "${name.slice(0, 80)}"`, 'a key name is 1-64 letters, digits, dots, dashes or underscores');
  return name;
}
