import type { PeriodReport } from '../../analytics/period-report.js';
import type { SessionReport } from '../../analytics/session-report.js';
import type { UsageTotals } from '../../ledger/ledger.js';
import { formatTokens, formatUsd } from './format.js';
import type { Style } from './style.js';
import { renderTable, type Column, type Row } from './table.js';

const TOKEN_COLUMNS: Column[] = [
  { header: 'Input', align: 'right', priority: 60, shortens: true },
  { header: 'Output', align: 'right', priority: 70, shortens: true },
  { header: 'Cache Create', align: 'right', priority: 40, shortens: true },
  { header: 'Cache Read', align: 'right', priority: 50, shortens: true },
  { header: 'Total Tokens', align: 'right', priority: 80, shortens: true },
  { header: 'Cost (USD)', align: 'right', priority: 100 },
];

function tokenCells(t: UsageTotals): string[] {
  const cacheCreate = t.cacheWrite5mTokens + t.cacheWrite1hTokens;
  const cost = formatUsd(t.costNanos) + (t.unpricedEvents > 0 ? '*' : '');
  return [
    formatTokens(t.inputTokens),
    formatTokens(t.outputTokens),
    formatTokens(cacheCreate),
    formatTokens(t.cacheReadTokens),
    formatTokens(t.inputTokens + t.outputTokens + cacheCreate + t.cacheReadTokens),
    cost,
  ];
}

/** The Models cell of a period or session row: empty with `breakdown`, whose detail rows name each model. */
const modelsCell = (models: readonly { name: string }[], breakdown: boolean): string => (breakdown ? '' : models.map((m) => `- ${m.name}`).join('\n'));

export interface TableOptions {
  width: number;
  style: Style;
  /** Per-model rows under each period. */
  breakdown: boolean;
}

export function periodTable(title: string, report: PeriodReport, options: TableOptions): string {
  const grouped = report.rows.some((r) => r.project !== undefined);
  const byUser = report.rows.some((r) => r.user !== undefined);
  const columns: Column[] = [
    { header: title, align: 'left', priority: 100 },
    ...(grouped ? [{ header: 'Project', align: 'left', priority: 100, minWidth: 16, cut: 'start' } as Column] : []),
    ...(byUser ? [{ header: 'User', align: 'left', priority: 100, minWidth: 8 } as Column] : []),
    // What identifies a row stays at any width (cut short if need be); figures give way first.
    { header: 'Models', align: 'left', priority: 100, minWidth: 10 },
    ...TOKEN_COLUMNS,
  ];
  const rows: Row[] = [];
  for (const row of report.rows) {
    rows.push({
      cells: [row.period, ...(grouped ? [row.project ?? ''] : []), ...(byUser ? [row.user ?? ''] : []), modelsCell(row.models, options.breakdown), ...tokenCells(row.totals)],
    });
    if (options.breakdown) {
      for (const m of row.models) rows.push({ kind: 'detail', cells: ['', ...(grouped ? [''] : []), ...(byUser ? [''] : []), `└ ${m.name}`, ...tokenCells(m.totals)] });
    }
  }
  rows.push('separator');
  rows.push({ kind: 'total', cells: ['Total', ...(grouped ? [''] : []), ...(byUser ? [''] : []), '', ...tokenCells(report.totals)] });
  return renderTable(columns, rows, options.width, options.style);
}

export function sessionTable(report: SessionReport, options: TableOptions & { formatTime: (ms: number) => string }): string {
  const columns: Column[] = [
    { header: 'Session', align: 'left', priority: 100, minWidth: 10 },
    { header: 'Agent', align: 'left', priority: 100, minWidth: 6 },
    // Who recorded it gives way before what identifies the session.
    { header: 'User', align: 'left', priority: 90, minWidth: 6 },
    { header: 'Project', align: 'left', priority: 100, minWidth: 12, cut: 'start' },
    { header: 'Models', align: 'left', priority: 100, minWidth: 10 },
    ...TOKEN_COLUMNS,
    { header: 'Last Activity', align: 'left', priority: 100, minWidth: 10 },
  ];
  const rows: Row[] = [];
  for (const row of report.rows) {
    rows.push({
      cells: [row.sessionId, row.agent, row.user ?? '', row.project, modelsCell(row.models, options.breakdown), ...tokenCells(row.totals), options.formatTime(row.lastActivity)],
    });
    if (options.breakdown) {
      for (const m of row.models) rows.push({ kind: 'detail', cells: ['', '', '', '', `└ ${m.name}`, ...tokenCells(m.totals), ''] });
    }
  }
  rows.push('separator');
  rows.push({ kind: 'total', cells: ['Total', '', '', '', '', ...tokenCells(report.totals), ''] });
  return renderTable(columns, rows, options.width, options.style);
}
