import type { DayFilter, DayRow, LocalDays } from '../../ledger.js';
import { dayShifts } from './day-shifts.js';
import { BUCKET_MS, DAY_MS } from './schema.js';
import { addAny, Params, type Queryable } from './sql.js';
import { SUM_TOTALS, TOTALS } from './usage.js';

/**
 * Usage by local day of `zone`, summed at read time (nothing is cached, so a report never writes):
 * each quarter hour counts on its local day, its start shifted by the zone's offset in force then.
 * A group a correction empties (all its quarter hours moved to another day) is no row.
 */
export async function days(db: Queryable, filter: DayFilter, zone: LocalDays): Promise<DayRow[]> {
  const span = (await db.query<{ lo: number | null; hi: number | null }>('SELECT min(bucket) AS lo, max(bucket) AS hi FROM usage_rollup')).rows[0];
  if (span?.lo == null || span.hi == null) return [];
  const fromMs = filter.sinceDay !== undefined && Number.isFinite(filter.sinceDay) ? Math.max(span.lo * BUCKET_MS, zone.startOfLocalDay(filter.sinceDay)) : span.lo * BUCKET_MS;
  const toMs = filter.untilDay !== undefined ? Math.min((span.hi + 1) * BUCKET_MS, zone.startOfLocalDay(filter.untilDay + 1)) : (span.hi + 1) * BUCKET_MS;
  if (toMs <= fromMs) return [];
  const params = new Params();
  const source = localSource(params, fromMs, toMs, zone.segments(fromMs, toMs));
  const where = [`s.namespace = ${params.add(filter.namespace)}`];
  addAny(where, params, 's.agent', filter.agents);
  if (filter.projects !== undefined) {
    const inner: string[] = [];
    addAny(inner, params, 'path', filter.projects);
    where.push(`r.project_id IN (SELECT id FROM projects WHERE ${inner.join(' AND ')})`);
  }
  const recorder: string[] = [];
  addAny(recorder, params, 'user_name', filter.users);
  addAny(recorder, params, 'machine', filter.machines);
  if (recorder.length > 0) where.push(`s.recorder_id IN (SELECT id FROM recorders WHERE ${recorder.join(' AND ')})`);
  // Summed by ids first, named after: the names are joined to the few day rows, not to every sum
  // row. Rows are kept apart per user (two machines of one user are one row).
  const rows = await db.query<DayRow>(
    `SELECT g.day, g.agent, p.path AS project, m.name AS model, u.user_name AS user, ${TOTALS.map(([, field]) => `sum(g."${field}") AS "${field}"`).join(', ')}
     FROM (SELECT r.day, s.agent, s.recorder_id, r.project_id, r.model_id, ${SUM_TOTALS}
           FROM ${source} JOIN sessions s ON s.id = r.session_id
           WHERE ${where.join(' AND ')}
           GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.events) <> 0) g
     JOIN recorders u ON u.id = g.recorder_id JOIN projects p ON p.id = g.project_id JOIN models m ON m.id = g.model_id
     GROUP BY g.day, g.agent, u.user_name, p.id, m.id`,
    params.values,
  );
  return rows.rows;
}

const COLUMNS = ['events', 'unpriced_events', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'cost_nanos'];

/**
 * Sum rows with a local `day` over [fromMs, toMs) as `FROM` text aliased `r`, some of them negative:
 * whole UTC days from `usage_day`, corrected by the quarter hours the zone's offset moves to the day
 * before or after (`dayShifts`: taken from their UTC day, added to their local one); the quarter
 * hours before the first and after the last whole UTC day shifted one by one. Whatever the zone,
 * this sums the day rows and a fraction of the quarter hours (none in UTC).
 */
function localSource(params: Params, fromMs: number, toMs: number, segments: { fromMs: number; offsetMs: number }[]): string {
  const fromQ = Math.floor(fromMs / BUCKET_MS);
  const toQ = Math.ceil(toMs / BUCKET_MS);
  const perDay = DAY_MS / BUCKET_MS;
  const fromDay = Math.ceil(fromQ / perDay);
  const toDay = Math.floor(toQ / perDay);
  const ids = 'session_id, project_id, model_id';
  const quarters = (from: number, to: number): string =>
    `SELECT ${localDayOf(segments)} AS day, ${ids}, ${COLUMNS.join(', ')} FROM usage_rollup r WHERE r.bucket >= ${params.add(from)} AND r.bucket < ${params.add(to)}`;
  if (fromDay >= toDay) return `(${quarters(fromQ, toQ)}) r`;
  const pieces = [`SELECT day, ${ids}, ${COLUMNS.join(', ')} FROM usage_day WHERE day >= ${params.add(fromDay)} AND day < ${params.add(toDay)}`];
  if (fromQ < fromDay * perDay) pieces.push(quarters(fromQ, fromDay * perDay));
  if (toDay * perDay < toQ) pieces.push(quarters(toDay * perDay, toQ));
  // The moved quarter hours by number (not by range: the planner then knows how few rows they are).
  for (const move of [1, -1]) {
    const moved: number[] = [];
    for (const shift of dayShifts(segments, fromDay, toDay)) if (shift.localDay - shift.utcDay === move) for (let q = shift.fromQ; q < shift.toQ; q++) moved.push(q);
    if (moved.length === 0) continue;
    const list = params.add(moved);
    pieces.push(`SELECT bucket / ${perDay} + ${move}, ${ids}, ${COLUMNS.join(', ')} FROM usage_rollup WHERE bucket = ANY(${list}::int8[])`);
    pieces.push(`SELECT bucket / ${perDay}, ${ids}, ${COLUMNS.map((c) => `-${c}`).join(', ')} FROM usage_rollup WHERE bucket = ANY(${list}::int8[])`);
  }
  return `(${pieces.join(' UNION ALL ')}) r`;
}
/** SQL for the local day of `r.bucket`: its start shifted by the zone's offset in force then. */
function localDayOf(segments: { fromMs: number; offsetMs: number }[]): string {
  const offsets = segments.map((s) => Math.round(s.offsetMs));
  let shift: string;
  if (offsets.length <= 1) shift = String(offsets[0] ?? 0);
  else {
    const cases = segments.slice(1).map((s, i) => `WHEN r.bucket * ${BUCKET_MS} < ${s.fromMs} THEN ${offsets[i]}`);
    shift = `CASE ${cases.join(' ')} ELSE ${offsets[offsets.length - 1]} END`;
  }
  return `(r.bucket * ${BUCKET_MS} + ${shift}) / ${DAY_MS}`;
}
