import { resolve } from 'node:path';
import { EXIT, type ExitCode } from '../core/errors.js';
import type { DroppedRecord } from '../ledger/ledger.js';
import { recordEvents } from '../ingest/record.js';
import { cleanLines } from '../ingest/text/clean-line.js';
import { contentHash, textDedupKeys } from '../ingest/text/dedup-keys.js';
import { findTextTool } from '../ingest/text/index.js';
import { readUsageLines, type BadLine } from '../ingest/text/read-lines.js';
import { textAgent, type TextTool } from '../ingest/text/text-tool.js';
import { modelNotes, usageEvent } from '../ingest/text/usage-events.js';
import { recordTarget, reportCrossings, type Workspace } from './workspace.js';
import { warnAboutPrices } from '../reports/price-notes.js';
import { reportContextOf } from './report-context.js';

export interface TextIngestOptions {
  tool: string;
  model?: string;
  sessionId?: string;
  project?: string;
  namespaceFlag?: string;
  verbose?: boolean;
}

/** Bad lines listed without --verbose; all of them with it. */
const SHOWN_BAD = 20;

/**
 * `ingest --text --tool <tool>`: records the usage lines a CLI printed. Session: `--session`, else
 * `<tool>-text-<hash of the cleaned text>`; project: `--project`, else the working folder; time:
 * now. Lines that look like usage but cannot be read exactly are listed and dropped (exit 3).
 */
export async function runTextIngest(ws: Workspace, input: { text: string; name: string }, options: TextIngestOptions): Promise<ExitCode> {
  const tool = findTextTool(options.tool);
  const lines = cleanLines(input.text);
  const reading = readUsageLines([tool], lines);
  const agent = textAgent(tool);
  const sessionId = options.sessionId !== undefined && options.sessionId.trim() !== '' ? options.sessionId.trim() : `${agent}-${contentHash(lines.join('\n'))}`;
  const ctx = { flagModel: options.model, sessionId, project: resolve(options.project ?? process.cwd()), occurredAt: ws.io.now() };
  const keys = textDedupKeys(agent, sessionId, reading.usages);
  const events = reading.usages.map((usage, i) => usageEvent(ctx, usage, keys[i] as string));
  const drops: DroppedRecord[] = reading.bad.map((b) => ({ path: input.name, line: b.line, reason: b.reason }));

  const { target, crossings } = recordTarget(ws, options.namespaceFlag);
  const result = await recordEvents(target, `text:${tool.id}:${input.name}`, events, drops);
  reportCrossings(ws, crossings);

  const err = ws.io.stderr;
  reportBadLines(ws, input.name, reading.bad, options.verbose === true);
  for (const note of modelNotes(tool, reading.usages, options.model)) err.write(`${note.text}\n`);
  if (reading.usages.length === 0 && reading.bad.length === 0) err.write(noUsageNote(tool, input.name));
  err.write(
    `Read ${reading.usages.length} ${tool.id} usage line(s) from ${input.name}: ${result.inserted} new, ${result.duplicates} already recorded, ${reading.bad.length} dropped.\n` +
      `Session: ${sessionId}\n`,
  );
  await warnAboutPrices(reportContextOf(ws), result.unpricedModels);
  return reading.bad.length > 0 ? EXIT.partial : EXIT.ok;
}

/** Each dropped line as `<name>:<line>: <reason>`, with the line's text. */
export function reportBadLines(ws: Workspace, name: string, bad: readonly BadLine[], verbose: boolean): void {
  const err = ws.io.stderr;
  const shown = verbose ? bad : bad.slice(0, SHOWN_BAD);
  for (const b of shown) err.write(`dropped ${name}:${b.line}: ${b.reason}: ${b.text.trim()}\n`);
  if (shown.length < bad.length) err.write(`… and ${bad.length - shown.length} more (run with --verbose to list them)\n`);
}

function noUsageNote(tool: TextTool, name: string): string {
  return `note: no ${tool.id} usage lines in ${name}; ${tool.id} lines look like:\n${tool.examples.map((e) => `      ${e}\n`).join('')}`;
}
