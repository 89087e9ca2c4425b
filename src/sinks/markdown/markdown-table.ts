import { terminalText } from '../../core/terminal-text.js';

/**
 * A GitHub-flavoured markdown table; `right` marks right-aligned columns. Pipes in cells are escaped,
 * and so are control characters (cells may come from logs, and the table is often read in a terminal).
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const cell = (text: string): string => text.split('\n').map(terminalText).join('<br>').replaceAll('|', '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `| ${headers.map((_, i) => (right[i] === true ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}
