import type { PeriodKind, PeriodReport, PeriodRow } from '../../analytics/period-report.js';
import type { SessionReport } from '../../analytics/session-report.js';
import { nanosToUsd } from '../../core/money.js';
import { csvDocument, type CsvCell } from './csv.js';

/**
 * The usage reports as CSV for spreadsheets: one record per period (or session), or with
 * `breakdown` one per period (or session) and model. No totals record (a spreadsheet sums; a totals
 * line would be summed twice). The figures are the JSON's: tokens as counts, cost in USD as a plain
 * number with every digit, cache writes split by lifetime so the token columns add up to `total_tokens`.
 */
type Totals = PeriodRow['totals'];

const TOKEN_HEADER = ['input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'total_tokens', 'requests', 'unpriced_requests', 'cost_usd'] as const;

function tokenCells(t: Totals): CsvCell[] {
  const total = t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
  return [t.inputTokens, t.outputTokens, t.cacheWrite5mTokens, t.cacheWrite1hTokens, t.cacheReadTokens, total, t.events, t.unpricedEvents, nanosToUsd(t.costNanos)];
}

/** Names in one cell, `;` between them. */
const names = (parts: readonly { name: string }[]): string => parts.map((p) => p.name).join(';');

/** The JSON's names for the period column: `date`, `week` (its first day), `month`. */
const PERIOD_HEADER: Record<PeriodKind, string> = { day: 'date', week: 'week', month: 'month' };

export interface PeriodCsvOptions {
  kind: PeriodKind;
  /** One record per period and model (a `model` column instead of `agents` and `models`). */
  breakdown: boolean;
  /** The report is grouped by project (`--instances`): a `project` column. */
  byProject: boolean;
  /** The report is split by user (`--by user`): a `user` column. */
  byUser?: boolean;
}

/**
 * `date|week|month[,project][,user],agents,<tokens…>,cost_usd,models`, or with `breakdown`
 * `date|week|month[,project][,user],model,<tokens…>,cost_usd`.
 */
export function periodCsv(report: PeriodReport, options: PeriodCsvOptions): string {
  const lead = [PERIOD_HEADER[options.kind], ...(options.byProject ? ['project'] : []), ...(options.byUser === true ? ['user'] : [])];
  const where = (row: PeriodRow): CsvCell[] => [row.period, ...(options.byProject ? [row.project ?? ''] : []), ...(options.byUser === true ? [row.user ?? ''] : [])];
  if (options.breakdown) {
    const rows = report.rows.flatMap((row) => row.models.map((m) => [...where(row), m.name, ...tokenCells(m.totals)]));
    return csvDocument([...lead, 'model', ...TOKEN_HEADER], rows);
  }
  const rows = report.rows.map((row) => [...where(row), names(row.agents), ...tokenCells(row.totals), names(row.models)]);
  return csvDocument([...lead, 'agents', ...TOKEN_HEADER, 'models'], rows);
}

export interface SessionCsvOptions {
  /** One record per session and model (a `model` column instead of `models`). */
  breakdown: boolean;
}

/**
 * `session_id,agent,project,first_activity,last_activity,<tokens…>,cost_usd,models` (activity as ISO
 * 8601 UTC), or with `breakdown` a `model` column after `last_activity` and no `models`; then `user`
 * (who recorded the session), last so that columns read by position keep their place.
 */
export function sessionCsv(report: SessionReport, options: SessionCsvOptions): string {
  const lead = ['session_id', 'agent', 'project', 'first_activity', 'last_activity'];
  const where = (row: SessionReport['rows'][number]): CsvCell[] => [row.sessionId, row.agent, row.project, new Date(row.firstActivity).toISOString(), new Date(row.lastActivity).toISOString()];
  if (options.breakdown) {
    const rows = report.rows.flatMap((row) => row.models.map((m) => [...where(row), m.name, ...tokenCells(m.totals), row.user ?? '']));
    return csvDocument([...lead, 'model', ...TOKEN_HEADER, 'user'], rows);
  }
  const rows = report.rows.map((row) => [...where(row), ...tokenCells(row.totals), names(row.models), row.user ?? '']);
  return csvDocument([...lead, ...TOKEN_HEADER, 'models', 'user'], rows);
}
