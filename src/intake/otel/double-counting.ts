import { GATEWAY_AGENT } from '../../ledger/gateway-keys.js';
import type { LedgerReader } from '../../ledger/ledger.js';
import { isOtlpMachine } from './otel-recorder.js';

/**
 * Agents whose OpenTelemetry events carry no id their log lines have: Claude Code's event has no
 * message id (its log is keyed by message and request id), Codex's no cumulative total (its rollout
 * is keyed by it), Gemini CLI's no message id (its chat is keyed by it). A request of theirs that
 * arrives over OpenTelemetry and is also read from their log file is two events.
 */
export const OTEL_WITHOUT_LOG_IDS: readonly string[] = ['claude-code', 'codex-cli', 'gemini-cli'];

/** How far back `detect` looks. */
export const OTEL_DOUBLE_COUNTING_WINDOW_MS = 30 * 86_400_000;

/** How to stop each agent's OpenTelemetry events, for the warning. */
const STOP_EXPORT: Record<string, string> = {
  'claude-code': 'OTEL_LOGS_EXPORTER=none in its environment or managed settings',
  'codex-cli': 'exporter = "none" under [otel] in ~/.codex/config.toml',
  'gemini-cli': '"telemetry": { "enabled": false } in its settings.json',
};

/** The provider whose API each agent calls: what the gateway meters of its requests. */
const PROVIDER_OF: Record<string, string> = { 'claude-code': 'anthropic', 'codex-cli': 'openai', 'gemini-cli': 'google' };

/**
 * An agent whose usage arrived over OpenTelemetry while it also reaches the ledger another way:
 * `log`, this machine reads its logs; `gateway`, the gateway metered requests to its provider in
 * the same namespace (the events carry no id the gateway sees either).
 */
export interface OtelDoubleCounting {
  namespace: string;
  agent: string;
  via: 'log' | 'gateway';
  /** OpenTelemetry events of the agent in the window. */
  otelEvents: number;
  /** With `gateway`: requests to the agent's provider the gateway metered in the window. */
  gatewayEvents?: number;
}

/**
 * Namespaces where, in the window before `now`, the ledger recorded usage of an agent of
 * `OTEL_WITHOUT_LOG_IDS` over OpenTelemetry (filed under an `otlp` machine, see otel-recorder.ts)
 * while `syncedAgents` (the agents whose logs this machine reads: found here, not in `sync.skip`)
 * include it (`log`), or while the gateway metered requests to the agent's provider in the same
 * namespace (`gateway`). Reads only.
 *
 * A session is filed under whoever recorded it first: the OpenTelemetry events of a session first
 * read from the log file are filed under this machine and not seen here. Agents export their events
 * within seconds, before a sync reads the log, so a double count shows in most sessions.
 */
export async function otelDoubleCounting(ledger: LedgerReader, now: number, syncedAgents: readonly string[]): Promise<OtelDoubleCounting[]> {
  const machines = [...new Set((await ledger.recorders()).map((r) => r.machine).filter(isOtlpMachine))];
  if (machines.length === 0) return [];
  const since = now - OTEL_DOUBLE_COUNTING_WINDOW_MS;
  const found: OtelDoubleCounting[] = [];
  for (const partition of await ledger.partitions()) {
    const namespace = partition.namespace;
    for (const agent of OTEL_WITHOUT_LOG_IDS.filter((a) => partition.agents.includes(a))) {
      const [otel] = await ledger.usage({ namespace, since, agents: [agent], machines }, []);
      const otelEvents = otel?.events ?? 0;
      if (otelEvents === 0) continue;
      if (syncedAgents.includes(agent)) found.push({ namespace, agent, via: 'log', otelEvents });
      const provider = PROVIDER_OF[agent];
      if (provider === undefined || !partition.agents.includes(GATEWAY_AGENT)) continue;
      const [metered] = await ledger.usage({ namespace, since, agents: [GATEWAY_AGENT], providers: [provider] }, []);
      const gatewayEvents = metered?.events ?? 0;
      if (gatewayEvents > 0) found.push({ namespace, agent, via: 'gateway', otelEvents, gatewayEvents });
    }
  }
  return found;
}

/** What `detect` says of one: the risk, and the ways to count the agent once. */
export function otelDoubleCountingMessage(d: OtelDoubleCounting, label: string): string {
  const events = `${d.otelEvents} ${d.otelEvents === 1 ? 'event' : 'events'}`;
  const stop = `stop its OpenTelemetry events (${STOP_EXPORT[d.agent] ?? 'turn its log export off'})`;
  if (d.via === 'gateway') {
    return (
      `${label} (${d.agent}) usage arrived over OpenTelemetry in the last 30 days (${events}, namespace ${d.namespace}) ` +
      `and the gateway metered ${d.gatewayEvents ?? 0} requests to ${PROVIDER_OF[d.agent] ?? 'its provider'} there: its events carry no id the gateway sees, ` +
      `so a request that went through the gateway and was also exported counts twice. Meter ${label} one way only: ${stop}, or point it at the provider directly.`
    );
  }
  return (
    `${label} (${d.agent}) usage arrived over OpenTelemetry in the last 30 days (${events}, namespace ${d.namespace}) ` +
    `and this machine also reads ${label}'s logs: its events carry no id its log lines have, so a request in both counts twice. ` +
    `Count ${label} by one of the two only: leave its logs out of tokenledger's sync with "sync": { "skip": ["${d.agent}"] } in the config, ` +
    `or ${stop}.`
  );
}
