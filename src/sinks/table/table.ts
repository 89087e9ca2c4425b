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
}

export type Row = { cells: string[]; kind?: 'normal' | 'detail' | 'total' } | 'separator';

/**
 * Draws a boxed table no wider than `width`: columns with a `minWidth` are cut short first (the
 * least important first), then the least important columns are left out. A cell may span several
 * lines (separated by newlines). Cell text may come from logs: control characters are shown escaped.
 */
export function renderTable(givenColumns: readonly Column[], givenRows: readonly Row[], width: number, style: Style): string {
  const columns = givenColumns.map((c) => ({ ...c, header: terminalText(c.header) }));
  const rows = givenRows.map((r): Row => (r === 'separator' ? r : { ...r, cells: r.cells.map((cell) => cell.split('\n').map(terminalText).join('\n')) }));
  let visible = columns.map((_, i) => i);
  const cellWidth = (text: string): number => Math.max(0, ...text.split('\n').map(visibleWidth));
  const natural = columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => (r === 'separator' ? 0 : cellWidth(r.cells[i] ?? '')))));
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
  // Cut shrinkable columns first; then leave out the least important column and try again.
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
  return out.join('\n');
}
