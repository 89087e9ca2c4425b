import { reportContext } from '../reports/context.js';
import type { ReportContext } from '../reports/report.js';
import type { Io } from './io.js';
import type { Workspace } from './workspace.js';

/** A report's note as the CLI writes it on stderr: `note: ` and the text, its further lines indented under the first. */
export function noteLine(text: string): string {
  return `note: ${text.replaceAll('\n', '\n      ')}\n`;
}

/** Writes notes on `io`'s stderr. */
export function stderrNotes(io: Io): (text: string) => void {
  return (text) => io.stderr.write(noteLine(text));
}

/** The context a command's reports read with: the workspace, its environment and clock, notes on stderr. */
export function reportContextOf(ws: Workspace): ReportContext {
  return reportContext(ws, { env: ws.io.env, now: () => ws.io.now(), note: stderrNotes(ws.io) });
}
