/** A GitHub-flavoured markdown table; `right` marks right-aligned columns. Pipes in cells are escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', '<br>');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `| ${headers.map((_, i) => (right[i] === true ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}
