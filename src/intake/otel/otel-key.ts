import type { TokenCounts } from '../../core/usage-event.js';
import { sha256 } from '../../ingest/event-key.js';

/**
 * Dedup keys of agents' OpenTelemetry events. A log record carries no id of its own and exporters
 * send a batch again when a reply times out, so the key is built from what the agent put in the
 * record, the same on every delivery:
 *
 * - with a sequence number (Claude Code's `event.sequence`):
 *   `otel:<agent>:<session>:<sequence>:<occurredAt>`. The sequence counts the events of one agent
 *   process; the time keeps two processes of one session (a resumed session starts counting again)
 *   apart;
 * - without one: `otel:<agent>:<session>:sha256:<digest of time, model and counts>`.
 */
export function otelSequenceKey(agent: string, session: string, sequence: number, occurredAt: number): string {
  return `otel:${agent}:${session}:${sequence}:${occurredAt}`;
}

export function otelContentKey(agent: string, session: string, occurredAt: number, model: string, counts: TokenCounts): string {
  const canonical = JSON.stringify([occurredAt, model, counts.inputTokens, counts.outputTokens, counts.reasoningTokens, counts.cacheReadTokens, counts.cacheWrite5mTokens, counts.cacheWrite1hTokens]);
  return `otel:${agent}:${session}:sha256:${sha256(canonical)}`;
}

/** The prefix of every key `agent`'s OpenTelemetry events are recorded under. */
export function otelKeyPrefix(agent: string): string {
  return `otel:${agent}:`;
}
