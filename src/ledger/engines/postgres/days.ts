import type { DayFilter, DayRow, LocalDays } from '../../ledger.js';
import { BUCKET_MS, DAY_MS } from './schema.js';
import { addAny, Params, type Queryable } from './sql.js';
import { SUM_TOTALS, TOTALS } from './usage.js';

/**
 * Usage by local day of `zone`, summed from the quarter hours at read time (nothing is cached, so
 * a report never writes): each quarter hour is shifted by the zone's offset in force then. Over a
 * UTC zone, whole days come from the day sums.
 */
export async function days(db: Queryable, filter: DayFilter, zone: LocalDays): Promise<DayRow[]> {
  const span = (await db.query<{ lo: number | null; hi: number | null }>('SELECT min(bucket) AS lo, max(bucket) AS hi FROM usage_rollup')).rows[0];
  if (span?.lo == null || span.hi == null) return [];
  const fromMs = filter.sinceDay !== undefined && Number.isFinite(filter.sinceDay) ? Math.max(span.lo * BUCKET_MS, zone.startOfLocalDay(filter.sinceDay)) : span.lo * BUCKET_MS;
  const toMs = filter.untilDay !== undefined ? Math.min((span.hi + 1) * BUCKET_MS, zone.startOfLocalDay(filter.untilDay + 1)) : (span.hi + 1) * BUCKET_MS;
  if (toMs <= fromMs) return [];
  const params = new Params();
  const segments = zone.segments(fromMs, toMs);
  const utc = segments.every((s) => Math.round(s.offsetMs) === 0);
  const source = utc ? utcSource(params, fromMs, toMs) : `(SELECT * FROM usage_rollup WHERE bucket >= ${params.add(Math.floor(fromMs / BUCKET_MS))} AND bucket < ${params.add(Math.ceil(toMs / BUCKET_MS))}) r`;
  const day = utc ? 'r.day' : localDayOf(segments);
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
  // Summed by ids first, named after: the names are joined to the few day rows, not to every sum row.
  const rows = await db.query<DayRow>(
    `SELECT g.day, g.agent, p.path AS project, m.name AS model, u.user_name AS user, ${TOTALS.map(([, field]) => `g."${field}"`).join(', ')}
     FROM (SELECT ${day} AS day, s.agent, r.project_id, r.model_id, s.recorder_id, ${SUM_TOTALS}
           FROM ${source} JOIN sessions s ON s.id = r.session_id
           WHERE ${where.join(' AND ')}
           GROUP BY 1, 2, 3, 4, 5) g
     JOIN projects p ON p.id = g.project_id JOIN models m ON m.id = g.model_id JOIN recorders u ON u.id = g.recorder_id`,
    params.values,
  );
  return rows.rows;
}

/** Sum rows with a `day` (UTC) over [fromMs, toMs): whole days from `usage_day`, the rest from quarter hours. */
function utcSource(params: Params, fromMs: number, toMs: number): string {
  const fromQ = Math.floor(fromMs / BUCKET_MS);
  const toQ = Math.ceil(toMs / BUCKET_MS);
  const perDay = DAY_MS / BUCKET_MS;
  const fromDay = Math.ceil(fromQ / perDay);
  const toDay = Math.floor(toQ / perDay);
  const cols = 'session_id, project_id, model_id, events, unpriced_events, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos';
  const quarters = (from: number, to: number): string => `SELECT bucket / ${perDay} AS day, ${cols} FROM usage_rollup WHERE bucket >= ${params.add(from)} AND bucket < ${params.add(to)}`;
  if (fromDay >= toDay) return `(${quarters(fromQ, toQ)}) r`;
  const pieces = [`SELECT day, ${cols} FROM usage_day WHERE day >= ${params.add(fromDay)} AND day < ${params.add(toDay)}`];
  if (fromQ < fromDay * perDay) pieces.push(quarters(fromQ, fromDay * perDay));
  if (toDay * perDay < toQ) pieces.push(quarters(toDay * perDay, toQ));
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
