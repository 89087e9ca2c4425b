/**
 * The dashboard's filters, named as the CLI's flags, and the query string that carries them: a view's
 * URL (`/sessions?since=2026-11-01&agent=codex-cli`) is shareable, and the same names become the
 * API's query parameters.
 */

/** The report flags every view passes on to the API, in the order they are written. */
export const FILTER_FLAGS = ['since', 'until', 'timezone', 'agent', 'project', 'user', 'machine'] as const;
export type FilterFlag = (typeof FILTER_FLAGS)[number];
export type Filters = Partial<Record<FilterFlag, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters of a query string; blank values are left out. */
export function filtersFromQuery(query: string | URLSearchParams): Filters {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  const filters: Filters = {};
  for (const flag of FILTER_FLAGS) {
    const value = params.get(flag)?.trim();
    if (value) filters[flag] = value;
  }
  return filters;
}

/** `?since=…&agent=…` (with the leading `?`), or `''` when nothing is set; `extra` (view state such as `q` or `sort`) follows the filters. */
export function queryFromFilters(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const flag of FILTER_FLAGS) {
    const value = filters[flag];
    if (value !== undefined && value !== '') params.set(flag, value);
  }
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A date picker's value (`YYYY-MM-DD`) or nothing: the CLI also takes `7d`, which a date input cannot show. */
export function dayOrEmpty(value: string | undefined): string {
  return value !== undefined && DAY.test(value) ? value : '';
}

/** The browser's own IANA zone, the default the pickers show when the URL names none. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
