import { findJsonBreak } from './json-syntax.js';
import { redactUrls } from './redact-url.js';
import { terminalText } from './terminal-text.js';

/** Where a file's JSON breaks, as shown to the user. */
export interface JsonErrorPlace {
  line: number;
  column: number;
  reason: string;
  /** The line (escaped, URLs redacted, cut to a readable width around the column) and a caret under the column. */
  excerpt: string;
}

/** At most this many characters of the line are shown. */
const SHOWN = 72;

/** Where `text` (which `JSON.parse` refused) breaks: line and column from 1, the reason and the line itself. */
export function jsonErrorPlace(text: string): JsonErrorPlace | undefined {
  const found = findJsonBreak(text);
  if (found === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', found.offset - 1) + 1;
  const lineEnd = text.indexOf('\n', found.offset);
  const whole = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  const line = text.slice(0, lineStart).split('\n').length;
  const column = found.offset - lineStart + 1;
  // A long line (a minified file) is cut around the column.
  const from = Math.max(0, Math.min(column - 1 - SHOWN / 2, whole.length - SHOWN));
  const before = `${from > 0 ? '…' : ''}${whole.slice(from, column - 1)}`;
  const after = `${whole.slice(column - 1, from + SHOWN)}${from + SHOWN < whole.length ? '…' : ''}`;
  // Redacted as a whole, so that a URL's secret is hidden even when the column falls inside it.
  const shown = terminalText(redactUrls(before + after));
  const caret = Math.min(terminalText(redactUrls(before)).length, shown.length);
  const gutter = `${line} | `;
  const excerpt = `${gutter}${shown}\n${' '.repeat(gutter.length - 2)}| ${' '.repeat(caret)}^`;
  return { line, column, reason: found.reason, excerpt };
}
