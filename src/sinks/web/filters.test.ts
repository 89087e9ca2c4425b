import { describe, expect, it } from 'vitest';
import { dayOrEmpty, filtersFromQuery, queryFromFilters } from './filters.js';

describe('filters in the query string', () => {
  it('reads the CLI flag names and leaves out blanks and unknown names', () => {
    expect(filtersFromQuery('?since=2026-11-01&until=2026-11-30&timezone=UTC&agent=codex-cli&project=&sort=cost')).toEqual({
      since: '2026-11-01',
      until: '2026-11-30',
      timezone: 'UTC',
      agent: 'codex-cli',
    });
  });

  it('writes them back in a fixed order, view state after, round-tripping', () => {
    const query = queryFromFilters({ agent: 'claude-code', since: '2026-11-01' }, { q: 'web shop', sort: undefined });
    expect(query).toBe('?since=2026-11-01&agent=claude-code&q=web+shop');
    expect(filtersFromQuery(query)).toEqual({ since: '2026-11-01', agent: 'claude-code' });
    expect(queryFromFilters({})).toBe('');
  });

  it('keeps text that looks like markup as text', () => {
    const project = '<img src=x onerror=alert(1)>&x=1';
    expect(filtersFromQuery(queryFromFilters({ project })).project).toBe(project);
  });

  it('shows only calendar days in a date picker', () => {
    expect(dayOrEmpty('2026-11-01')).toBe('2026-11-01');
    expect(dayOrEmpty('7d')).toBe('');
    expect(dayOrEmpty(undefined)).toBe('');
  });
});
