/**
 * Text from outside (session ids, projects, model names, paths, reasons quoting a log) made safe to
 * show in a terminal. A log could otherwise retitle the terminal or paint over the screen (ESC and
 * OSC sequences), rewrite the line it is on (CR, backspace), misalign a table (TAB) or hide and
 * reorder text (bidi overrides and isolates). Such characters are shown escaped, `\x1b` or `\u202e`,
 * never dropped, so what a log holds stays visible. Ordinary text, accents and emoji included, is
 * unchanged.
 */

/**
 * C0 controls and DEL, C1 controls, the bidi marks, embeddings, overrides and isolates, and the
 * Unicode line and paragraph separators (some terminals break lines at them).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character written as its escape (`\x1b`, `\x0d`, `\u202e`). */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
