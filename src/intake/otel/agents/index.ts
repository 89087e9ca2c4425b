import type { OtelAgent } from '../otel-agent.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';

/** Every agent whose OpenTelemetry export the intake reads: one line per agent. */
export const OTEL_AGENTS: readonly OtelAgent[] = [claudeCodeOtel, codexCliOtel, geminiCliOtel];

/** The agent that claims a log record, if any. */
export function agentOfRecord(record: Parameters<OtelAgent['ownsRecord']>[0]): OtelAgent | undefined {
  return OTEL_AGENTS.find((agent) => agent.ownsRecord(record));
}
