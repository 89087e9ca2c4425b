import { describe, expect, it } from 'vitest';
import type { PeriodReport } from '../../analytics/period-report.js';
import type { SessionReport } from '../../analytics/session-report.js';
import { emptyTotals } from '../../analytics/totals.js';
import type { UsageTotals } from '../../ledger/ledger.js';
import { styleFor, visibleWidth } from './style.js';
import { renderTable, type Column, type Row } from './table.js';
import { periodTable, sessionTable } from './usage-table.js';

// eslint-disable-next-line no-control-regex
const ESC = /\u001b\[/;
const PLAIN = styleFor({ isTTY: false }, {});
const COLORED = styleFor({ isTTY: true }, { TERM: 'xterm-256color' });

const lines = (out: string): string[] => out.split('\n');
const widest = (out: string): number => Math.max(...lines(out).map(visibleWidth));
/** Header names of the columns shown (the second line of the box). */
const headers = (out: string): string[] =>
  (lines(out)[1] ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('│')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function usage(fields: Partial<UsageTotals>): UsageTotals {
  return { ...emptyTotals(), ...fields };
}

describe('renderTable', () => {
  it('shows control characters and bidi overrides of cells escaped, keeping the box aligned', () => {
    const columns: Column[] = [
      { header: 'Session', align: 'left', priority: 100 },
      { header: 'Model', align: 'left', priority: 100 },
    ];
    const out = renderTable(columns, [{ cells: ['a\u001b]0;pwned\u0007\u001b[31mred\rCR', 'm\tx\0\u202eevil\nsecond'] }], 200, PLAIN);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(out).toContain('a\\x1b]0;pwned\\x07\\x1b[31mred\\x0dCR');
    expect(out).toContain('m\\x09x\\x00\\u202eevil');
    // Our own line breaks still split a cell into lines, and every line is as wide as the box.
    expect(lines(out).some((l) => l.includes('second'))).toBe(true);
    expect(new Set(lines(out).map(visibleWidth)).size).toBe(1);
  });

  const columns: Column[] = [
    { header: 'Name', align: 'left', priority: 100 },
    { header: 'Path', align: 'left', priority: 90, minWidth: 8, cut: 'start' },
    { header: 'Note', align: 'left', priority: 10, minWidth: 6 },
    { header: 'Count', align: 'right', priority: 50 },
    { header: 'Cost', align: 'right', priority: 100 },
  ];
  const rows: Row[] = [
    { cells: ['alpha', '/home/dev/projects/tokenledger', 'a rather long note about it', '1,234', '$1.00'] },
    { cells: ['beta', '/srv/x', 'short', '5', '$0.0012'] },
    'separator',
    { kind: 'total', cells: ['Total', '', '', '1,239', '$1.00'] },
  ];

  it('draws a box at natural width when there is room', () => {
    const out = renderTable(columns, rows, 200, PLAIN);
    expect(headers(out)).toEqual(['Name', 'Path', 'Note', 'Count', 'Cost']);
    expect(lines(out)[0]).toMatch(/^┌─+┬/);
    expect(lines(out).at(-1)).toMatch(/^└─+┴.*┘$/);
    expect(out).toContain('/home/dev/projects/tokenledger');
    expect(out).toContain('a rather long note about it');
    // Every line of the box is equally wide.
    expect(new Set(lines(out).map(visibleWidth)).size).toBe(1);
  });

  it('never draws a line wider than the width, down to the width of the essential columns', () => {
    for (let width = 200; width >= 22; width--) {
      const out = renderTable(columns, rows, width, PLAIN);
      expect(widest(out), `width ${width}`).toBeLessThanOrEqual(width);
      expect(headers(out), `width ${width}`).toEqual(expect.arrayContaining(['Name', 'Cost']));
    }
  });

  it('keeps the essential columns (priority 100) even when they do not fit', () => {
    const out = renderTable(columns, rows, 10, PLAIN);
    expect(headers(out)).toEqual(['Name', 'Cost']);
  });

  it('cuts shrinkable columns before leaving any column out', () => {
    // Natural: Name 5, Path 30, Note 27, Count 5, Cost 7 → 1 + 89 = 90 wide.
    expect(widest(renderTable(columns, rows, 200, PLAIN))).toBe(90);
    const out = renderTable(columns, rows, 80, PLAIN);
    expect(headers(out)).toEqual(['Name', 'Path', 'Note', 'Count', 'Cost']);
    expect(widest(out)).toBe(80);
  });

  it('leaves columns out lowest priority first', () => {
    const seen: string[][] = [];
    for (let width = 200; width >= 10; width--) {
      const shown = headers(renderTable(columns, rows, width, PLAIN));
      if (seen.length === 0 || (seen.at(-1) as string[]).join() !== shown.join()) seen.push(shown);
    }
    expect(seen).toEqual([
      ['Name', 'Path', 'Note', 'Count', 'Cost'],
      ['Name', 'Path', 'Count', 'Cost'],
      ['Name', 'Path', 'Cost'],
      ['Name', 'Cost'],
    ]);
  });

  it('cuts a path at its start and other text at its end, with an ellipsis, left column first', () => {
    const narrow: Column[] = [columns[0] as Column, columns[1] as Column, { header: 'Note', align: 'left', priority: 100, minWidth: 6 }];
    // Natural 1 + 8 + 33 + 21 = 63; at 33 the 30 extra come off Path (down to 8) before Note.
    const out = renderTable(narrow, [{ cells: ['alpha', '/home/dev/projects/tokenledger', 'a rather long note'] }], 33, PLAIN);
    expect(lines(out)[3]).toBe('│ alpha │ …nledger │ a rather … │');
  });

  it('cuts to exactly the width left over', () => {
    const pathOnly: Column[] = [
      { header: 'Name', align: 'left', priority: 100 },
      { header: 'Path', align: 'left', priority: 100, minWidth: 8, cut: 'start' },
      { header: 'Cost', align: 'right', priority: 100 },
    ];
    // Name 4, Cost 5: a width of 31 leaves 12 for the path.
    const out = renderTable(pathOnly, [{ cells: ['n', '/home/dev/projects/tokenledger', '$1.00'] }], 31, PLAIN);
    expect(lines(out)[3]).toBe('│ n    │ …tokenledger │ $1.00 │');
  });

  it('never cuts a column below its header or its minWidth', () => {
    const out = renderTable(
      [
        { header: 'Project path', align: 'left', priority: 100, minWidth: 4, cut: 'start' },
        { header: 'X', align: 'left', priority: 100, minWidth: 8 },
      ],
      [{ cells: ['/a/very/long/path/indeed', 'abcdefghijklmnop'] }],
      5,
      PLAIN,
    );
    expect(lines(out)[3]).toBe('│ …path/indeed │ abcdefg… │');
  });

  it('aligns right columns to the right', () => {
    const out = renderTable(columns, rows, 200, PLAIN);
    const beta = lines(out).find((l) => l.includes('beta')) as string;
    expect(beta).toMatch(/│\s+5 │ \$0\.0012 │$/);
  });

  it('grows a row to its tallest cell, blank below shorter cells', () => {
    const out = renderTable(
      [
        { header: 'Day', align: 'left', priority: 100 },
        { header: 'Models', align: 'left', priority: 30 },
        { header: 'Cost', align: 'right', priority: 100 },
      ],
      [{ cells: ['2025-06-10', '- opus\n- sonnet-long-name\n- haiku', '$3.00'] }],
      200,
      PLAIN,
    );
    expect(lines(out).slice(3, 6)).toEqual(['│ 2025-06-10 │ - opus             │ $3.00 │', '│            │ - sonnet-long-name │       │', '│            │ - haiku            │       │']);
  });

  it('styles headers, detail and total rows only when colored', () => {
    const styledRows: Row[] = [{ cells: ['a', '', '', '1', '$1'] }, { kind: 'detail', cells: ['', '', 'x', '1', '$1'] }, { kind: 'total', cells: ['Total', '', '', '1', '$1'] }];
    const colored = renderTable(columns, styledRows, 200, COLORED);
    expect(colored).toMatch(ESC);
    expect(lines(colored).find((l) => l.includes('Total'))).toMatch(/^\u001b\[1m/);
    expect(lines(colored).find((l) => l.includes(' x '))).toMatch(/^\u001b\[2m/);
    // Escape codes do not count towards the width.
    expect(widest(colored)).toBe(widest(renderTable(columns, styledRows, 200, PLAIN)));
    expect(renderTable(columns, styledRows, 200, PLAIN)).not.toMatch(ESC);
  });
});

describe('styleFor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  const isColored = (stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean => ESC.test(styleFor(stream, env).bold('x'));

  it('colors a TTY', () => {
    expect(isColored(tty, {})).toBe(true);
    expect(isColored(tty, { TERM: 'xterm' })).toBe(true);
  });

  it('does not color a pipe or a dumb terminal', () => {
    expect(isColored(pipe, {})).toBe(false);
    expect(isColored({}, {})).toBe(false);
    expect(isColored(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('honours NO_COLOR (any non-empty value), even over FORCE_COLOR', () => {
    expect(isColored(tty, { NO_COLOR: '1' })).toBe(false);
    expect(isColored(tty, { NO_COLOR: 'yes', FORCE_COLOR: '1' })).toBe(false);
    expect(isColored(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('honours FORCE_COLOR on pipes and dumb terminals', () => {
    expect(isColored(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(isColored(tty, { FORCE_COLOR: '1', TERM: 'dumb' })).toBe(true);
    expect(isColored(pipe, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('visibleWidth ignores escape codes and counts characters, not bytes', () => {
    expect(visibleWidth(styleFor(tty, {}).accent('héllo…'))).toBe(6);
  });
});

describe('periodTable and sessionTable', () => {
  const opus = usage({ inputTokens: 1_234, outputTokens: 56_789, cacheWrite5mTokens: 100_000, cacheWrite1hTokens: 20_000, cacheReadTokens: 3_456_789, costNanos: 12_345_678_900, events: 40 });
  const mystery = usage({ inputTokens: 10, outputTokens: 20, events: 1, unpricedEvents: 1 });
  const both = usage({
    inputTokens: 1_244,
    outputTokens: 56_809,
    cacheWrite5mTokens: 100_000,
    cacheWrite1hTokens: 20_000,
    cacheReadTokens: 3_456_789,
    costNanos: 12_345_678_900,
    events: 41,
    unpricedEvents: 1,
  });
  const report: PeriodReport = {
    rows: [
      {
        period: '2025-06-10',
        project: undefined,
        totals: both,
        models: [
          { name: 'claude-opus-4-1', totals: opus },
          { name: 'mystery-model', totals: mystery },
        ],
        agents: [{ name: 'claude-code', totals: both }],
      },
    ],
    totals: both,
    unpricedModels: ['mystery-model'],
  };

  it('shows every column, one model per line and a totals row at full width', () => {
    const out = periodTable('Date', report, { width: 200, style: PLAIN, breakdown: false });
    expect(headers(out)).toEqual(['Date', 'Models', 'Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)']);
    expect(out).toContain('- claude-opus-4-1');
    expect(out).toContain('- mystery-model');
    const total = lines(out).find((l) => l.startsWith('│ Total')) as string;
    const cells = total.split('│').map((s) => s.trim());
    // Unpriced usage marks the cost with an asterisk.
    expect(cells.slice(1, -1)).toEqual(['Total', '', '1,244', '56,809', '120,000', '3,456,789', '3,634,842', '$12.35*']);
    // The totals row comes after a separator, last in the box.
    expect(lines(out).at(-3)).toMatch(/^├/);
    expect(lines(out).at(-1)).toMatch(/^└/);
  });

  it('adds a detail row per model with --breakdown', () => {
    const out = periodTable('Date', report, { width: 200, style: PLAIN, breakdown: true });
    expect(lines(out).filter((l) => l.includes('└ '))).toHaveLength(2);
    expect(lines(out).find((l) => l.includes('└ claude-opus-4-1'))).toContain('$12.35');
  });

  it('keeps Date and Models, shortens numbers, then drops Cache Create, Cache Read, Input, Output, Total Tokens as the terminal narrows', () => {
    const seen: string[] = [];
    for (let width = 200; width >= 20; width--) {
      const out = periodTable('Date', report, { width, style: PLAIN, breakdown: false });
      if (width >= 40) expect(widest(out), `width ${width}`).toBeLessThanOrEqual(width);
      expect(headers(out), `width ${width}`).toEqual(expect.arrayContaining(['Date', 'Models', 'Cost (USD)']));
      for (const header of ['Date', 'Models', 'Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)']) {
        if (!headers(out).includes(header) && !seen.includes(header)) seen.push(header);
      }
    }
    expect(seen).toEqual(['Cache Create', 'Cache Read', 'Input', 'Output', 'Total Tokens']);
  });

  it('shortens numbers (3.5M) before leaving a column out, and names the columns it leaves out', () => {
    const full = periodTable('Date', report, { width: 200, style: PLAIN, breakdown: false });
    expect(full).toContain('3,456,789');
    expect(full).not.toContain('note:');
    // Narrower than the natural table, wide enough for every column once numbers are short.
    const short = periodTable('Date', report, { width: widest(full) - 4, style: PLAIN, breakdown: false });
    expect(headers(short)).toEqual(headers(full));
    expect(short).toContain('3.5M');
    expect(short).not.toContain('note:');
    const narrow = periodTable('Date', report, { width: 60, style: PLAIN, breakdown: false });
    expect(widest(narrow)).toBeLessThanOrEqual(60);
    expect(headers(narrow)).toEqual(expect.arrayContaining(['Date', 'Models', 'Cost (USD)']));
    const note = lines(narrow.slice(narrow.indexOf('note:'))).join(' ');
    expect(note).toBe('note: hidden to fit 60 columns: Input, Output, Cache Create, Cache Read (a wider terminal or --json shows them)');
  });

  it('shows a Project column, cut at its start, when rows are per project', () => {
    const project = '/home/dev/work/clients/acme/very-long-repository-name';
    const grouped: PeriodReport = { ...report, rows: report.rows.map((r) => ({ ...r, project })) };
    const wide = periodTable('Date', grouped, { width: 200, style: PLAIN, breakdown: false });
    expect(headers(wide)).toContain('Project');
    expect(wide).toContain(project);
    const narrow = periodTable('Date', grouped, { width: 60, style: PLAIN, breakdown: false });
    expect(widest(narrow)).toBeLessThanOrEqual(60);
    expect(headers(narrow)).toContain('Project');
    expect(narrow).toMatch(/│ …[^│]*repository-name │/);
  });

  it('fits a session table to the width, keeping the end of project paths', () => {
    const sessions: SessionReport = {
      rows: [
        {
          agent: 'claude-code',
          sessionId: '0f6c2f4e-9a8b-4c1d-8e7f-123456789abc',
          project: '/home/dev/work/clients/acme/very-long-repository-name',
          firstActivity: Date.parse('2025-06-10T09:00:00Z'),
          lastActivity: Date.parse('2025-06-10T11:30:00Z'),
          totals: both,
          models: report.rows[0]?.models ?? [],
        },
      ],
      totals: both,
      unpricedModels: [],
    };
    const formatTime = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    for (const width of [200, 160, 120, 100, 80, 60, 40]) {
      const out = sessionTable(sessions, { width, style: PLAIN, breakdown: false, formatTime });
      if (width >= 80) expect(widest(out), `width ${width}`).toBeLessThanOrEqual(width);
      // What identifies a session stays at any width, cut short if need be.
      expect(headers(out), `width ${width}`).toEqual(expect.arrayContaining(['Session', 'Agent', 'Project', 'Models', 'Cost (USD)', 'Last Activity']));
    }
    const full = sessionTable(sessions, { width: 250, style: PLAIN, breakdown: false, formatTime });
    expect(full).toContain('2025-06-10 11:30');
    expect(full).toContain('0f6c2f4e-9a8b-4c1d-8e7f-123456789abc');
  });

  it('has no escape codes with NO_COLOR, even on a TTY', () => {
    const style = styleFor({ isTTY: true }, { NO_COLOR: '1' });
    expect(periodTable('Date', report, { width: 120, style, breakdown: true })).not.toMatch(ESC);
  });
});

describe('FORCE_COLOR', () => {
  it('0 and false turn colour off even on a terminal', () => {
    for (const value of ['0', 'false']) expect(styleFor({ isTTY: true }, { FORCE_COLOR: value }).bold('x')).toBe('x');
  });
});
