import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';
import type { LedgerReader } from '../ledger/ledger.js';

/**
 * Agents whose logs carry no id the gateway sees (no provider request or message id): a request of
 * theirs that went through the gateway and is also read from their log is two events. Claude Code's
 * log holds the message and request ids the gateway keys its events by, so it counts once.
 */
export const LOGS_WITHOUT_GATEWAY_IDS: readonly string[] = ['codex-cli', 'gemini-cli'];

/** How far back `detect` looks for both at once. */
export const DOUBLE_METERING_WINDOW_MS = 30 * 86_400_000;

/** An agent metered both from its log and (it seems) through the gateway, in one namespace. */
export interface DoubleMetering {
  namespace: string;
  agent: string;
  /** Providers other than Anthropic the gateway recorded requests to in the window. */
  gatewayProviders: string[];
}

/**
 * Namespaces where, in the window before `now`, the gateway recorded requests to a provider other
 * than Anthropic and an agent of `LOGS_WITHOUT_GATEWAY_IDS` was read from its log: each such agent
 * may be counted twice. Reads only.
 */
export async function doubleMetering(ledger: LedgerReader, now: number): Promise<DoubleMetering[]> {
  const since = now - DOUBLE_METERING_WINDOW_MS;
  const found: DoubleMetering[] = [];
  for (const partition of await ledger.partitions()) {
    const agents = LOGS_WITHOUT_GATEWAY_IDS.filter((a) => partition.agents.includes(a));
    if (!partition.agents.includes(GATEWAY_AGENT) || agents.length === 0) continue;
    const namespace = partition.namespace;
    const byModel = await ledger.usage({ namespace, since, agents: [GATEWAY_AGENT] }, ['model']);
    const providers = [...new Set(byModel.filter((r) => r.events > 0 && r.provider !== undefined && r.provider !== 'anthropic').map((r) => r.provider as string))].sort();
    if (providers.length === 0) continue;
    for (const agent of agents) {
      const logged = await ledger.usage({ namespace, since, agents: [agent] }, []);
      if ((logged[0]?.events ?? 0) > 0) found.push({ namespace, agent, gatewayProviders: providers });
    }
  }
  return found;
}

/**
 * What `detect` says of one: the risk, and the two ways to meter the agent once (the second: the
 * config's `sync.skip` leaves its logs out of every sync).
 */
export function doubleMeteringMessage(d: DoubleMetering, label: string): string {
  return (
    `${label} (${d.agent}) usage was read from its logs in the last 30 days while the gateway metered ${d.gatewayProviders.join(', ')} requests ` +
    `(namespace ${d.namespace}): its logs carry no id the gateway sees, so a request that went through the gateway and is also in its log counts twice. ` +
    `Meter ${label} by one of the two only: do not route it through the gateway, or leave its logs out of tokenledger's sync ` +
    `with "sync": { "skip": ["${d.agent}"] } in the config.`
  );
}
