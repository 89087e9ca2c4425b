import type { Io } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';

/** The namespace every `keys` subcommand works in (`--namespace`, `KEYS_NAMESPACE`, …). */
export function keysNamespace(flags: Record<string, unknown>, io: Io, configured: string | undefined): string {
  return resolveNamespace(flags.namespace as string | undefined, 'keys', io.env, configured);
}
