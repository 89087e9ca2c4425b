import { FILTER_FLAGS, type FilterFlag, type Filters } from './filters.js';

/**
 * Which of the page's filters each report takes (its CLI flags): the page sends a report only the
 * filters it knows, since an unknown flag is an error, as on the command line.
 */
export const REPORT_FILTERS: Readonly<Record<string, readonly FilterFlag[]>> = {
  daily: FILTER_FLAGS,
  weekly: FILTER_FLAGS,
  monthly: FILTER_FLAGS,
  session: FILTER_FLAGS,
  blocks: ['timezone', 'agent', 'user', 'machine'],
  summary: ['timezone', 'user', 'machine', 'since', 'until'],
  projection: ['timezone'],
  burn: ['timezone', 'user', 'machine'],
  anomaly: ['timezone', 'user', 'machine', 'since'],
  counterfactual: ['timezone', 'user', 'machine', 'since'],
  optimize: ['timezone', 'user', 'machine', 'since'],
  budgets: ['timezone'],
  keys: [],
};

/** The filters `report` takes, out of those set; a report not listed gets none. */
export function filtersFor(report: string, filters: Filters): Filters {
  const out: Filters = {};
  for (const flag of REPORT_FILTERS[report] ?? []) if (filters[flag] !== undefined) out[flag] = filters[flag];
  return out;
}

/** The filters a report would leave out (shown beside its figures so a reader knows they are not applied). */
export function ignoredFilters(report: string, filters: Filters): FilterFlag[] {
  const taken = new Set(REPORT_FILTERS[report] ?? []);
  return FILTER_FLAGS.filter((flag) => filters[flag] !== undefined && !taken.has(flag));
}
