/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`) and two-byte escapes, as terminals print them. */
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/**
 * A printed line as a reader saw it: colour and cursor escapes removed, a trailing `\r` (CRLF
 * output) dropped, and for a line redrawn with carriage returns (progress output) only the text
 * written last. Other control characters become spaces.
 */
export function cleanLine(raw: string): string {
  let line = raw.replace(ESCAPES, '');
  line = line.replace(/\r+$/, '');
  const redrawn = line.lastIndexOf('\r');
  if (redrawn >= 0) line = line.slice(redrawn + 1);
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
}

/** Text split into cleaned lines (LF or CRLF); a final newline does not start another line. */
export function cleanLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map(cleanLine);
}
