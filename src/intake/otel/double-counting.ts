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

/** An agent whose usage arrived over OpenTelemetry while this machine also reads its logs. */
export interface OtelDoubleCounting {
  namespace: string;
  agent: string;
  /** OpenTelemetry events of the agent in the window. */
  otelEvents: number;
}

/**
 * Namespaces where, in the window before `now`, the ledger recorded usage of an agent of
 * `OTEL_WITHOUT_LOG_IDS` over OpenTelemetry (filed under an `otlp` machine, see otel-recorder.ts)
 * while `syncedAgents` (the agents whose logs this machine reads: found here, not in `sync.skip`)
 * include it. Reads only.
 *
 * A session is filed under whoever recorded it first: the OpenTelemetry events of a session first
 * read from the log file are filed under this machine and not seen here. Agents export their events
 * within seconds, before a sync reads the log, so a double count shows in most sessions.
 */
export async function otelDoubleCounting(ledger: LedgerReader, now: number, syncedAgents: readonly string[]): Promise<OtelDoubleCounting[]> {
  const candidates = OTEL_WITHOUT_LOG_IDS.filter((a) => syncedAgents.includes(a));
  if (candidates.length === 0) return [];
  const machines = [...new Set((await ledger.recorders()).map((r) => r.machine).filter(isOtlpMachine))];
  if (machines.length === 0) return [];
  const since = now - OTEL_DOUBLE_COUNTING_WINDOW_MS;
  const found: OtelDoubleCounting[] = [];
  for (const partition of await ledger.partitions()) {
    for (const agent of candidates.filter((a) => partition.agents.includes(a))) {
      const [totals] = await ledger.usage({ namespace: partition.namespace, since, agents: [agent], machines }, []);
      if ((totals?.events ?? 0) > 0) found.push({ namespace: partition.namespace, agent, otelEvents: totals?.events ?? 0 });
    }
  }
  return found;
}

/** What `detect` says of one: the risk, and the two ways to count the agent once. */
export function otelDoubleCountingMessage(d: OtelDoubleCounting, label: string): string {
  return (
    `${label} (${d.agent}) usage arrived over OpenTelemetry in the last 30 days (${d.otelEvents} ${d.otelEvents === 1 ? 'event' : 'events'}, namespace ${d.namespace}) ` +
    `and this machine also reads ${label}'s logs: its events carry no id its log lines have, so a request in both counts twice. ` +
    `Count ${label} by one of the two only: leave its logs out of tokenledger's sync with "sync": { "skip": ["${d.agent}"] } in the config, ` +
    `or stop its OpenTelemetry events (${STOP_EXPORT[d.agent] ?? 'turn its log export off'}).`
  );
}
