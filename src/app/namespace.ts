import { badArgument } from '../core/errors.js';
import { DEFAULT_NAMESPACE } from '../core/namespace.js';
import type { Env } from '../sources/shared/roots.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The ledger partition a command works in: `--namespace`, else `<COMMAND>_NAMESPACE` (e.g.
 * `EXPORT_NAMESPACE`), else `TOKENLEDGER_NAMESPACE`, else the config's `namespace`, else
 * `cost-tracking`.
 */
export function resolveNamespace(flag: string | undefined, command: string, env: Env, configured: string | undefined): string {
  const perCommand = env[`${command.toUpperCase().replaceAll('-', '_')}_NAMESPACE`];
  const name = [flag, perCommand, env.TOKENLEDGER_NAMESPACE, configured].find((v) => v !== undefined && v !== '') ?? DEFAULT_NAMESPACE;
  if (!NAME.test(name)) {
    throw badArgument(`invalid namespace "${name}"`, 'a namespace is 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  return name;
}

/**
 * Refuses a `--namespace` that is a bare number where `-n` is easily taken for a length (ccusage's
 * `blocks -n 5` is a block length): such a namespace would silently read nothing.
 */
export function refuseNumericNamespace(flag: unknown, meant: string): void {
  if (typeof flag === 'string' && /^\d+(\.\d+)?$/.test(flag.trim())) {
    throw badArgument(`-n/--namespace names a ledger partition, got the number "${flag}"`, `for the block length in hours, use ${meant} ${flag.trim()}`);
  }
}
