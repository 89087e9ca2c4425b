import { reportContext } from '../reports/context.js';
import type { ReportContext } from '../reports/report.js';
import type { Io } from './io.js';
import type { Workspace } from './workspace.js';

/** A report's note as the CLI writes it on stderr: `note: ` and the text, its further lines indented under the first. */
export function noteLine(text: string): string {
  return `note: ${text.replaceAll('\n', '\n      ')}\n`;
}

/** Writes notes on `io`'s stderr, each once: a note already written is not repeated. */
export function stderrNotes(io: Io): (text: string) => void {
  const written = new Set<string>();
  return (text) => {
    if (written.has(text)) return;
    written.add(text);
    io.stderr.write(noteLine(text));
  };
}

const contexts = new WeakMap<Workspace, ReportContext>();

/**
 * The context a command's reports read with: the workspace, its environment and clock, notes on
 * stderr. One per workspace, so a note two steps of a command give is written once.
 */
export function reportContextOf(ws: Workspace): ReportContext {
  let ctx = contexts.get(ws);
  if (ctx === undefined) {
    ctx = reportContext(ws, { env: ws.io.env, now: () => ws.io.now(), note: stderrNotes(ws.io) });
    contexts.set(ws, ctx);
  }
  return ctx;
}
