import { type Child, h } from './dom.js';

/** One column of a data table: its heading, its cell and the value it sorts by. */
export interface Column<T> {
  key: string;
  label: string;
  cell(row: T): Child;
  sort?: (row: T) => number | string;
  numeric?: boolean;
}

export interface TableOptions<T> {
  testid: string;
  rowTestid?: string;
  /** `cost` or `-cost` (descending); the column key. */
  sort?: string | null;
  onSort?: (sort: string) => void;
  onRow?: (row: T) => void;
  empty?: string;
}

/** A table whose headings sort it (click again to reverse); cells are built with text nodes only. */
export function dataTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: TableOptions<T>): HTMLElement {
  const sortKey = options.sort?.replace(/^-/, '');
  const descending = options.sort?.startsWith('-') ?? false;
  const column = columns.find((c) => c.key === sortKey && c.sort);
  const sorted = column?.sort ? [...rows].sort((a, b) => compare(column.sort!(a), column.sort!(b)) * (descending ? -1 : 1)) : rows;
  const head = h(
    'tr',
    null,
    columns.map((c) => {
      const active = c.key === sortKey;
      const label = active ? `${c.label} ${descending ? '▼' : '▲'}` : c.label;
      const next = active && !descending ? `-${c.key}` : c.key;
      return h(
        'th',
        { class: c.numeric ? 'num' : null, scope: 'col', 'data-col': c.key, 'aria-sort': active ? (descending ? 'descending' : 'ascending') : null },
        c.sort && options.onSort ? h('button', { type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => options.onSort!(next) }, label) : label,
      );
    }),
  );
  const body = sorted.map((row) =>
    h(
      'tr',
      {
        testid: options.rowTestid,
        class: options.onRow ? 'clickable' : null,
        onclick: options.onRow ? (event: Event) => (event.target as Element).closest('a, button') === null && options.onRow!(row) : undefined,
      },
      columns.map((c) => h('td', { class: c.numeric ? 'num' : null, 'data-col': c.key }, c.cell(row))),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid: options.testid },
      h('thead', null, head),
      h('tbody', null, body.length > 0 ? body : h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, options.empty ?? 'Nothing in this range.'))),
    ),
  );
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
