import { terminalText } from '../../core/terminal-text.js';
import { markdownTable } from '../markdown/markdown-table.js';
import type { Style } from '../table/style.js';
import { renderTable, type Column } from '../table/table.js';

/** A column of a text report: its header, alignment, and how readily it is left out of a narrow terminal. */
export interface ReportColumn {
  header: string;
  align?: 'left' | 'right';
  /** 100 and above: never left out; lower ones go first when the terminal is narrow. */
  priority?: number;
  /** A text column that may be cut short (with …), down to this many characters. */
  minWidth?: number;
  cut?: 'end' | 'start';
}

/** One part of a report: a heading, a table, lines of text, in that order; each optional. */
export interface ReportSection {
  title?: string;
  columns?: readonly ReportColumn[];
  rows?: readonly (readonly string[])[];
  /** Rows drawn after a rule, e.g. totals. */
  footer?: readonly (readonly string[])[];
  lines?: readonly string[];
}

/**
 * What analysis commands print for people: sections of headings, tables and lines, drawn as boxed
 * terminal tables (fitted to `width`) or as GitHub markdown.
 */
export function renderReport(sections: readonly ReportSection[], format: 'table' | 'markdown', width: number, style: Style): string {
  const out: string[] = [];
  for (const section of sections) {
    const parts: string[] = [];
    // Titles and lines may name sessions, projects or models taken from logs: shown with control characters escaped.
    const title = section.title === undefined ? undefined : terminalText(section.title);
    if (title !== undefined) parts.push(format === 'markdown' ? `### ${title}` : style.bold(title));
    if (section.columns !== undefined && section.rows !== undefined) {
      const columns = section.columns;
      if (format === 'markdown') {
        parts.push(
          markdownTable(
            columns.map((c) => c.header),
            [...section.rows, ...(section.footer ?? [])],
            columns.map((c) => c.align === 'right'),
          ),
        );
      } else {
        const boxed: Column[] = columns.map((c, i) => ({
          header: c.header,
          align: c.align ?? 'left',
          priority: c.priority ?? 100 - i,
          ...(c.minWidth === undefined ? {} : { minWidth: c.minWidth }),
          ...(c.cut === undefined ? {} : { cut: c.cut }),
        }));
        const footer = section.footer ?? [];
        parts.push(
          renderTable(
            boxed,
            [
              ...section.rows.map((cells) => ({ cells: [...cells] })),
              ...(footer.length > 0 ? (['separator'] as const) : []),
              ...footer.map((cells) => ({ cells: [...cells], kind: 'total' as const })),
            ],
            width,
            style,
          ),
        );
      }
    }
    // Markdown joins adjacent lines into one paragraph: each line is its own there.
    if (section.lines !== undefined && section.lines.length > 0) parts.push(section.lines.map(terminalText).join(format === 'markdown' ? '\n\n' : '\n'));
    if (parts.length > 0) out.push(parts.join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}
