import { badArgument, EXIT, type TokenledgerError } from '../core/errors.js';
import type { GatewayKey, GatewayLedger, KeyMeter } from '../ledger/gateway-keys.js';
import { checkKeyName } from '../ledger/key-name.js';
import { meterJson, metersJson } from '../sinks/json/meter-json.js';
import { resolveNamespace } from '../app/namespace.js';
import { localOption } from './local-options.js';
import { ledgerOptions } from './options.js';
import type { JsonReport } from './report.js';

/**
 * `tokenledger keys` and `tokenledger gateway` work in one namespace (the keys a gateway serves are
 * the ones `keys` created): both resolve it as the gateway does, so `$GATEWAY_NAMESPACE` steers both.
 */
export const KEYS_NAMESPACE_COMMAND = 'gateway';

export function noSuchKey(name: string, namespace: string): TokenledgerError {
  return badArgument(`no gateway key named ${name} in namespace ${namespace}`, 'list them with: tokenledger keys list');
}

/** The key of that name in a namespace (revoked ones too); a clear error when there is none. */
export async function keyNamed(ledger: Pick<GatewayLedger, 'gatewayKeys'>, namespace: string, name: string): Promise<GatewayKey> {
  const key = (await ledger.gatewayKeys(namespace)).find((k) => k.name === name);
  if (key === undefined) throw noSuchKey(name, namespace);
  return key;
}

/**
 * `keys usage`: the meter of every gateway key since its last reset (`{ namespace, keys }`), or of
 * the key named (its meter alone).
 */
export const KEYS_REPORT: JsonReport = {
  name: 'keys',
  args: ['name'],
  configure(command) {
    ledgerOptions(command).addOption(localOption('-j, --json', 'print JSON'));
  },
  async answer(ctx, flags, args) {
    const namespace = resolveNamespace(flags.namespace as string | undefined, KEYS_NAMESPACE_COMMAND, ctx.env, ctx.loaded.config.namespace);
    const name = args[0] === undefined ? undefined : checkKeyName(args[0]);
    const keys = await ctx.ledger.gatewayKeys(namespace);
    const key = keys.find((k) => k.name === name);
    if (name !== undefined && key === undefined) throw noSuchKey(name, namespace);
    const meters = await ctx.ledger.keyMeters(namespace, name === undefined ? undefined : [name]);
    return { document: name === undefined ? metersJson(namespace, meters, keys) : meterJson(meters[0] as KeyMeter, key), exit: EXIT.ok };
  },
};
