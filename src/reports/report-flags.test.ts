import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../core/zone-clock.js';
import { SOURCES } from '../sources/index.js';
import { matchProjects } from './match-projects.js';
import { parseReportFlags, type ReportFlags } from './report-flags.js';
import { thrown } from '../testing/thrown.js';

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const NOW = Date.UTC(2025, 9, 10, 12);

/** Flags as commander hands them over when only `extra` was given. */
const flags = (extra: Partial<ReportFlags> = {}): ReportFlags => ({ order: 'asc', sync: true, ...extra });

describe('parseReportFlags', () => {
  it('leaves everything open when no flag is given', () => {
    const range = parseReportFlags(flags(), { timezone: 'UTC' }, 'daily', {}, NOW);
    expect(range).toMatchObject({ sinceDay: undefined, untilDay: undefined, agents: undefined, projectNames: undefined, last: undefined, startOfWeek: 'monday' });
  });

  it('parses --since and --until in both date forms, inclusive days', () => {
    const range = parseReportFlags(flags({ since: '20250601', until: '2025-06-30' }), { timezone: 'UTC' }, 'daily', {}, NOW);
    expect(range.sinceDay).toBe(dayOf('2025-06-01'));
    expect(range.untilDay).toBe(dayOf('2025-06-30'));
    expect(parseReportFlags(flags({ since: '2025-06-01', until: '2025-06-01' }), {}, 'daily', {}, NOW).untilDay).toBe(dayOf('2025-06-01'));
  });

  it('reads --since and --until as a duration back from now, as the analysis commands do', () => {
    const range = parseReportFlags(flags({ since: '7d', until: '1d' }), { timezone: 'UTC' }, 'daily', {}, NOW);
    expect(range.sinceDay).toBe(dayOf('2025-10-03'));
    expect(range.untilDay).toBe(dayOf('2025-10-09'));
  });

  it('rejects --since after --until', () => {
    const error = thrown(() => parseReportFlags(flags({ since: '2025-06-02', until: '2025-06-01' }), {}, 'daily', {}, NOW));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--since');
    expect(error.message).toContain('--until');
  });

  it('rejects an impossible --since or --until, naming the flag', () => {
    expect(thrown(() => parseReportFlags(flags({ since: '2025-02-30' }), {}, 'daily', {}, NOW)).message).toContain('--since');
    expect(thrown(() => parseReportFlags(flags({ until: 'tomorrow' }), {}, 'daily', {}, NOW)).message).toContain('--until');
  });

  it('accepts a whole --last of at least 1', () => {
    expect(parseReportFlags(flags({ last: '1' }), {}, 'daily', {}, NOW).last).toBe(1);
    expect(parseReportFlags(flags({ last: '12' }), {}, 'daily', {}, NOW).last).toBe(12);
  });

  it.each(['0', '-1', '1.5', 'abc', '', 'Infinity', '99999999999999999999'])('rejects --last %j', (last) => {
    const error = thrown(() => parseReportFlags(flags({ last }), {}, 'daily', {}, NOW));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--last');
  });

  it('resolves agent names and aliases, case-insensitive, ignoring blanks', () => {
    expect(parseReportFlags(flags({ agent: 'claude, Codex,,gemini-cli ' }), {}, 'daily', {}, NOW).agents).toEqual(['claude-code', 'codex-cli', 'gemini-cli']);
    expect(parseReportFlags(flags({ agent: 'CC' }), {}, 'daily', {}, NOW).agents).toEqual(['claude-code']);
  });

  it('takes agents other collectors record as written, and rejects what cannot be an agent name with a hint listing every agent', () => {
    expect(parseReportFlags(flags({ agent: 'claude,gemini-text,ingest' }), {}, 'daily', {}, NOW).agents).toEqual(['claude-code', 'gemini-text', 'ingest']);
    const error = thrown(() => parseReportFlags(flags({ agent: 'claude,cur sor' }), {}, 'daily', {}, NOW));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('cur sor');
    for (const source of SOURCES) expect(error.hint).toContain(source.id);
    expect(error.hint).toContain('claude-code');
    expect(error.hint).toContain('codex-cli');
    expect(error.hint).toContain('gemini-cli');
  });

  it('splits --project into names', () => {
    expect(parseReportFlags(flags({ project: 'app, /home/dev/other/ ,' }), {}, 'daily', {}, NOW).projectNames).toEqual(['app', '/home/dev/other/']);
  });

  it('takes the time zone from --timezone, else the config, else the system', () => {
    expect(parseReportFlags(flags({ timezone: 'Asia/Kathmandu' }), { timezone: 'Europe/Berlin' }, 'daily', {}, NOW).clock.timeZone).toBe('Asia/Kathmandu');
    expect(parseReportFlags(flags(), { timezone: 'Europe/Berlin' }, 'daily', {}, NOW).clock.timeZone).toBe('Europe/Berlin');
    expect(parseReportFlags(flags(), {}, 'daily', {}, NOW).clock.timeZone).toBe(ZoneClock.system().timeZone);
  });

  it('rejects an unknown time zone, from the flag or the config', () => {
    expect(thrown(() => parseReportFlags(flags({ timezone: 'Moon/Tranquility' }), {}, 'daily', {}, NOW)).code).toBe('BAD_ARGUMENT');
    expect(thrown(() => parseReportFlags(flags(), { timezone: 'Moon/Tranquility' }, 'daily', {}, NOW)).code).toBe('BAD_ARGUMENT');
  });

  it('takes the start of the week from the flag, else the config, else Monday', () => {
    expect(parseReportFlags(flags({ startOfWeek: 'Sun' }), { startOfWeek: 'saturday' }, 'daily', {}, NOW).startOfWeek).toBe('sunday');
    expect(parseReportFlags(flags(), { startOfWeek: 'saturday' }, 'daily', {}, NOW).startOfWeek).toBe('saturday');
    expect(parseReportFlags(flags(), {}, 'daily', {}, NOW).startOfWeek).toBe('monday');
    expect(thrown(() => parseReportFlags(flags({ startOfWeek: 'someday' }), {}, 'daily', {}, NOW)).code).toBe('BAD_ARGUMENT');
  });
});

describe('matchProjects', () => {
  const known = ['/home/dev/app', '/home/dev/clients/app', '/home/dev/tokenledger', '/srv/api', 'C:\\Users\\dev\\desk'];

  it('matches a full path exactly', () => {
    expect(matchProjects(['/home/dev/app'], known)).toEqual(['/home/dev/app']);
    expect(matchProjects(['/home/dev/tokenledger'], known)).toEqual(['/home/dev/tokenledger']);
  });

  it('matches a folder name against the last folder of every path', () => {
    expect(matchProjects(['app'], known).sort()).toEqual(['/home/dev/app', '/home/dev/clients/app']);
    expect(matchProjects(['desk'], known)).toEqual(['C:\\Users\\dev\\desk']);
  });

  it('ignores a trailing slash on the name', () => {
    expect(matchProjects(['/home/dev/tokenledger/'], known)).toEqual(['/home/dev/tokenledger']);
    expect(matchProjects(['tokenledger/'], known)).toEqual(['/home/dev/tokenledger']);
    expect(matchProjects(['api\\'], known)).toEqual(['/srv/api']);
  });

  it('does not match part of a name or a middle folder', () => {
    expect(matchProjects(['token'], known)).toEqual([]);
    expect(matchProjects(['dev'], known)).toEqual([]);
    expect(matchProjects(['/home/dev'], known)).toEqual([]);
  });

  it('lists each path once for several names', () => {
    expect(matchProjects(['api', '/srv/api', 'api/'], known)).toEqual(['/srv/api']);
    expect(matchProjects(['api', 'tokenledger'], known).sort()).toEqual(['/home/dev/tokenledger', '/srv/api']);
  });

  it('matches nothing in an empty ledger', () => {
    expect(matchProjects(['app'], [])).toEqual([]);
  });
});
