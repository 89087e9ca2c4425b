import type { OtelAgent } from '../otel-agent.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';
import { tokenledgerOtel } from './tokenledger.js';

/**
 * Every agent whose OpenTelemetry export the intake reads: one line per agent. The last reads
 * tokenledger's own metrics (another ledger's `export --otlp`), and no log records.
 */
export const OTEL_AGENTS: readonly OtelAgent[] = [claudeCodeOtel, codexCliOtel, geminiCliOtel, tokenledgerOtel];

/** The agent that claims a log record, if any. */
export function agentOfRecord(record: Parameters<OtelAgent['ownsRecord']>[0]): OtelAgent | undefined {
  return OTEL_AGENTS.find((agent) => agent.ownsRecord(record));
}

/** The agent that claims a metric point, if any (whether its metrics are read is the receiver's choice). */
export function agentOfPoint(point: Parameters<NonNullable<OtelAgent['ownsPoint']>>[0]): OtelAgent | undefined {
  return OTEL_AGENTS.find((agent) => agent.ownsPoint?.(point) === true);
}
