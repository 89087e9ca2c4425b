import type { Command } from 'commander';
import type { Io } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { KEYS_NAMESPACE_COMMAND } from '../../reports/keys.js';

/** What `--help` of `keys` and `gateway` says about it. */
export const SHARED_NAMESPACE_HELP =
  '\nNamespace: `tokenledger keys` and `tokenledger gateway` share one: --namespace, else $GATEWAY_NAMESPACE, else $TOKENLEDGER_NAMESPACE, else config "namespace", else cost-tracking.\n';

/** The namespace every `keys` subcommand and the gateway work in. */
export function keysNamespace(flags: Record<string, unknown>, io: Io, configured: string | undefined): string {
  return resolveNamespace(flags.namespace as string | undefined, KEYS_NAMESPACE_COMMAND, io.env, configured);
}

/** Adds the shared-namespace note to a command's `--help`. */
export function withSharedNamespaceHelp(command: Command): Command {
  return command.addHelpText('after', SHARED_NAMESPACE_HELP);
}
