import { describe, expect, it } from 'vitest';
import { filtersFor, ignoredFilters } from './report-filters.js';

describe('filters each report takes', () => {
  const filters = { since: '2026-11-01', timezone: 'UTC', agent: 'codex-cli', user: 'ann' };

  it('passes a report only its own flags', () => {
    expect(filtersFor('daily', filters)).toEqual(filters);
    expect(filtersFor('projection', filters)).toEqual({ timezone: 'UTC' });
    expect(filtersFor('anomaly', filters)).toEqual({ since: '2026-11-01', timezone: 'UTC', user: 'ann' });
    expect(filtersFor('keys', filters)).toEqual({});
    expect(filtersFor('no-such-report', filters)).toEqual({});
  });

  it('names the filters left out', () => {
    expect(ignoredFilters('blocks', filters)).toEqual(['since']);
    expect(ignoredFilters('daily', filters)).toEqual([]);
  });
});
