/** ANSI styling that switches off for NO_COLOR, dumb terminals and pipes (FORCE_COLOR forces it on). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
  warn(text: string): string;
}

const plain: Style = { bold: (t) => t, dim: (t) => t, accent: (t) => t, warn: (t) => t };
const ansi = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;
const colored: Style = { bold: ansi(1, 22), dim: ansi(2, 22), accent: ansi(36, 39), warn: ansi(33, 39) };

export function styleFor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plain;
  const force = env.FORCE_COLOR?.toLowerCase();
  if (force === '0' || force === 'false') return plain;
  if (force !== undefined) return colored;
  if (stream.isTTY !== true || env.TERM === 'dumb') return plain;
  return colored;
}

/** Visible width of text that may hold ANSI codes. */
export function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}
