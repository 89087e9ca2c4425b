import { terminalText } from '../../core/terminal-text.js';
import { visibleWidth, type Style } from './style.js';

export interface Column {
  header: string;
  align: 'left' | 'right';
  /** Columns with the lowest priority are left out first when the terminal is narrow. */
  priority: number;
  /** A left column that may be cut short (with …) to fit, down to this many characters. */
  minWidth?: number;
  /** Which end a cut-short value loses: paths keep their end. */
  cut?: 'end' | 'start';
  /** Whole numbers (`1,234,567`) that may be shortened (`1.2M`) before any column is left out. */
  shortens?: boolean;
}

export type Row = { cells: string[]; kind?: 'normal' | 'detail' | 'total' } | 'separator';

/**
 * Draws a boxed table no wider than `width`: numbers are shortened first (`1.2M`), then columns
 * with a `minWidth` are cut short (the least important first), then the least important columns
 * are left out (never those of priority 100: what identifies a row and the cost), and a note under
 * the box names them. A cell may span several lines (separated by newlines). Cell text may come
 * from logs: control characters are shown escaped.
 */
export function renderTable(givenColumns: readonly Column[], givenRows: readonly Row[], width: number, style: Style): string {
  const columns = givenColumns.map((c) => ({ ...c, header: terminalText(c.header) }));
  let rows = givenRows.map((r): Row => (r === 'separator' ? r : { ...r, cells: r.cells.map((cell) => cell.split('\n').map(terminalText).join('\n')) }));
  let visible = columns.map((_, i) => i);
  const cellWidth = (text: string): number => Math.max(0, ...text.split('\n').map(visibleWidth));
  const naturalWidths = (): number[] => columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => (r === 'separator' ? 0 : cellWidth(r.cells[i] ?? '')))));
  let natural = naturalWidths();
  const widths = [...natural];
  const tableWidth = (): number => visible.reduce((sum, i) => sum + (widths[i] as number) + 3, 1);
  const shrink = (): void => {
    let excess = tableWidth() - width;
    for (const i of [...visible].sort((a, b) => (columns[a] as Column).priority - (columns[b] as Column).priority)) {
      const min = (columns[i] as Column).minWidth;
      if (excess <= 0 || min === undefined) continue;
      const cut = Math.min(excess, (widths[i] as number) - Math.max(min, visibleWidth((columns[i] as Column).header)));
      if (cut > 0) {
        widths[i] = (widths[i] as number) - cut;
        excess -= cut;
      }
    }
  };
  // Shorten numbers first (a name cut short says less than 1.2M); then cut shrinkable columns; then
  // leave out the least important column and try again.
  if (tableWidth() > width && columns.some((c) => c.shortens === true)) {
    rows = rows.map((r): Row => (r === 'separator' ? r : { ...r, cells: r.cells.map((cell, i) => (columns[i]?.shortens === true ? cell.split('\n').map(shortNumber).join('\n') : cell)) }));
    natural = naturalWidths();
    for (const i of visible) widths[i] = natural[i] as number;
  }
  shrink();
  while (tableWidth() > width && visible.length > 1) {
    const lowest = visible.reduce((low, i) => ((columns[i] as Column).priority < (columns[low] as Column).priority ? i : low), visible[0] as number);
    if ((columns[lowest] as Column).priority >= 100) break; // essential columns stay
    visible = visible.filter((i) => i !== lowest);
    for (const i of visible) widths[i] = natural[i] as number;
    shrink();
  }

  const line = (left: string, mid: string, right: string): string => left + visible.map((i) => '─'.repeat((widths[i] as number) + 2)).join(mid) + right;
  const cellText = (text: string, i: number): string => {
    const column = columns[i] as Column;
    const w = widths[i] as number;
    const chars = [...text];
    const keep = Math.max(1, w - 1);
    const fitted = visibleWidth(text) <= w ? text : column.cut === 'start' ? `…${chars.slice(chars.length - keep).join('')}` : `${chars.slice(0, keep).join('')}…`;
    const pad = ' '.repeat(Math.max(0, w - visibleWidth(fitted)));
    return column.align === 'right' ? pad + fitted : fitted + pad;
  };
  const out = [line('┌', '┬', '┐')];
  out.push(`│ ${visible.map((i) => style.accent(cellText((columns[i] as Column).header, i))).join(' │ ')} │`);
  out.push(line('├', '┼', '┤'));
  for (const row of rows) {
    if (row === 'separator') {
      out.push(line('├', '┼', '┤'));
      continue;
    }
    // A cell may hold several lines (e.g. one model per line); the row grows to the tallest cell.
    const split = visible.map((i) => (row.cells[i] ?? '').split('\n'));
    const height = Math.max(...split.map((lines) => lines.length));
    for (let l = 0; l < height; l++) {
      const text = `│ ${visible.map((i, k) => cellText((split[k] as string[])[l] ?? '', i)).join(' │ ')} │`;
      out.push(row.kind === 'total' ? style.bold(text) : row.kind === 'detail' ? style.dim(text) : text);
    }
  }
  out.push(line('└', '┴', '┘'));
  const hidden = columns.filter((_, i) => !visible.includes(i)).map((c) => c.header);
  if (hidden.length > 0) out.push(...wrap(`note: hidden to fit ${width} columns: ${hidden.join(', ')} (a wider terminal or --json shows them)`, width));
  return out.join('\n');
}

const SUFFIXES = [
  { size: 1e12, suffix: 'T' },
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/** `3,456,789` → `3.5M`, `56,809` → `56.8k`; text that is not a whole grouped number is left as it is. */
export function shortNumber(text: string): string {
  if (!/^-?\d{1,3}(,\d{3})*$/.test(text)) return text;
  const n = Number(text.replaceAll(',', ''));
  const abs = Math.abs(n);
  for (const { size, suffix } of SUFFIXES) {
    if (abs >= size) {
      const scaled = n / size;
      return `${Math.abs(scaled) >= 100 ? scaled.toFixed(0) : scaled.toFixed(1).replace(/\.0$/, '')}${suffix}`;
    }
  }
  return text;
}

/** Words of `text` in lines no wider than `width` (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && visibleWidth(current) + 1 + visibleWidth(word) > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}
