/**
 * Lines of the live view as plain text in toned segments: laid out and cut to the terminal's width
 * as text, coloured only when painted (`frame.ts`), so widths never count escape codes.
 */
export type Tone = 'plain' | 'title' | 'dim' | 'good' | 'note' | 'warn' | 'bad' | 'stop';

export interface Segment {
  text: string;
  tone: Tone;
}

export type Line = Segment[];

export const seg = (text: string, tone: Tone = 'plain'): Segment => ({ text, tone });

/** Columns a text takes: one per code point (the view writes no wide characters of its own). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** The line cut to `width` columns, with `…` where it was cut. */
export function fitLine(line: Line, width: number): Line {
  if (width <= 0) return [];
  const total = line.reduce((n, s) => n + textWidth(s.text), 0);
  if (total <= width) return line;
  const out: Line = [];
  let left = width - 1;
  for (const s of line) {
    if (left <= 0) break;
    const chars = [...s.text];
    out.push({ text: chars.slice(0, left).join(''), tone: s.tone });
    left -= Math.min(left, chars.length);
  }
  out.push(seg('…', 'dim'));
  return out;
}

/** Text padded (or cut with `…`) to exactly `width` columns. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const w = textWidth(text);
  if (w > width) return width <= 0 ? '' : `${[...text].slice(0, width - 1).join('')}…`;
  const fill = ' '.repeat(width - w);
  return align === 'left' ? text + fill : fill + text;
}

/** A bar of `width` cells, `fraction` of them full (capped at the width). */
export function bar(fraction: number, width: number): { full: string; empty: string } {
  const cells = Math.max(0, Math.min(width, Math.round((Number.isFinite(fraction) ? Math.max(0, fraction) : 1) * width)));
  return { full: '█'.repeat(cells), empty: '░'.repeat(width - cells) };
}

/** `950`, `12.3k`, `4.56M`, `1.20B`: token counts in a few columns. */
export function compactTokens(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const [div, unit] = abs < 1e6 ? [1e3, 'k'] : abs < 1e9 ? [1e6, 'M'] : [1e9, 'B'];
  const v = n / div;
  return `${Math.abs(v) < 10 ? v.toFixed(2) : Math.abs(v) < 100 ? v.toFixed(1) : v.toFixed(0)}${unit}`;
}
