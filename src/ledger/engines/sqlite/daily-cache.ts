import type { DayFilter, DayRow, LocalDays } from '../../ledger.js';
import { BUCKET_MS, SUMMED } from './migrations.js';
import type { Db } from './open.js';
import { addIn, addRecorderIn } from './sql-in.js';

const DAY_MS = 86_400_000;
/** Zones kept summed by day; the least recently used goes first. */
const MAX_ZONES = 4;

type Raw = [number, string, string, string, string, number, number, number, number, number, number, number, number, number];

/**
 * Usage by local day, per time zone, kept in `usage_daily`. Summing a million events' quarter
 * hours on every report would cost more than a report may take; instead a report's write phase
 * (`prepare`) re-sums only the UTC days writers marked stale since the last one (all of them,
 * once, for a new zone), and its read (`rows`) only reads. Rows are kept apart per recorder, so
 * reports can be narrowed to users and machines, or split by user.
 */
export class DailyCache {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Brings the zone's days up to date, if the write lock can be had at once: a report never waits
   * on another writer (its rows are then summed from the quarter hours instead).
   */
  prepare(zone: LocalDays): void {
    const db = this.#db;
    const waitMs = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      db.transaction(() => this.#refresh(zone)).immediate();
    } catch (error) {
      if (!isBusy(error) && !/readonly|read-only/i.test(String((error as Error).message))) throw error;
    } finally {
      db.pragma(`busy_timeout = ${waitMs}`);
    }
  }

  /**
   * The zone's day rows, writing nothing: from the cache when it holds the zone with no stale day,
   * else the same rows summed from the quarter hours. One read transaction, so the check and the
   * rows see the same ledger.
   */
  rows(filter: DayFilter, zone: LocalDays): DayRow[] {
    return this.#db.transaction(() => (this.#current(zone.key) ? this.#query(filter, zone.key) : this.#compute(filter, zone)))();
  }

  /** Whether the cache holds the zone with every day summed. */
  #current(key: string): boolean {
    const db = this.#db;
    if (db.prepare('SELECT 1 FROM daily_zones WHERE zone = ?').get(key) === undefined) return false;
    return db.prepare('SELECT 1 FROM daily_stale WHERE zone = ? LIMIT 1').get(key) === undefined;
  }

  #refresh(zone: LocalDays): void {
    const db = this.#db;
    const known = db.prepare('SELECT 1 FROM daily_zones WHERE zone = ?').get(zone.key) !== undefined;
    db.prepare('INSERT INTO daily_zones (zone, used_at) VALUES (?, ?) ON CONFLICT (zone) DO UPDATE SET used_at = excluded.used_at').run(zone.key, Date.now());
    if (!known) {
      for (const old of db.prepare('SELECT zone FROM daily_zones ORDER BY used_at DESC LIMIT -1 OFFSET ?').pluck().all(MAX_ZONES) as string[]) {
        for (const table of ['usage_daily', 'daily_stale', 'daily_zones']) db.prepare(`DELETE FROM ${table} WHERE zone = ?`).run(old);
      }
      db.prepare('DELETE FROM daily_stale WHERE zone = ?').run(zone.key);
      const span = db.prepare('SELECT min(bucket) AS lo, max(bucket) AS hi FROM usage_rollup').get() as { lo: number | null; hi: number | null };
      if (span.lo !== null && span.hi !== null) this.#sum(zone, span.lo * BUCKET_MS, (span.hi + 1) * BUCKET_MS);
      return;
    }
    const stale = db.prepare('SELECT utc_day FROM daily_stale WHERE zone = ? ORDER BY utc_day').pluck().all(zone.key) as number[];
    if (stale.length === 0) return;
    for (const [first, last] of ranges(stale)) {
      const fromDay = zone.localDay(first * DAY_MS);
      const toDay = zone.localDay((last + 1) * DAY_MS - 1);
      db.prepare('DELETE FROM usage_daily WHERE zone = ? AND day BETWEEN ? AND ?').run(zone.key, fromDay, toDay);
      this.#sum(zone, zone.startOfLocalDay(fromDay), zone.startOfLocalDay(toDay + 1));
    }
    db.prepare('DELETE FROM daily_stale WHERE zone = ?').run(zone.key);
  }

  /** Adds the quarter hours of `[fromMs, toMs)` into their local days, in one statement. */
  #sum(zone: LocalDays, fromMs: number, toMs: number): void {
    this.#db
      .prepare(
        `INSERT INTO usage_daily (zone, namespace, day, agent, recorder_id, project_id, model_id, events, unpriced_events, ${SUMMED.join(', ')})
         SELECT ?, s.namespace, ${localDayOf(zone, fromMs, toMs)}, s.agent, s.recorder_id, r.project_id, r.model_id, sum(r.events), sum(r.unpriced_events),
                ${SUMMED.map((c) => `sum(r.${c})`).join(', ')}
         FROM usage_rollup r JOIN sessions s ON s.id = r.session_id
         WHERE r.bucket >= ? AND r.bucket < ?
         GROUP BY 2, 3, 4, 5, 6, 7`,
      )
      .run(zone.key, Math.floor(fromMs / BUCKET_MS), Math.ceil(toMs / BUCKET_MS));
  }

  #query(filter: DayFilter, key: string): DayRow[] {
    const where = ['d.zone = ?', 'd.namespace = ?'];
    const params: (string | number)[] = [key, filter.namespace];
    if (filter.sinceDay !== undefined && Number.isFinite(filter.sinceDay)) {
      where.push('d.day >= ?');
      params.push(filter.sinceDay);
    }
    if (filter.untilDay !== undefined) {
      where.push('d.day <= ?');
      params.push(filter.untilDay);
    }
    addIn(where, params, 'd.agent', filter.agents);
    addIn(where, params, 'p.path', filter.projects);
    addRecorderIn(where, params, 'd.recorder_id', filter);
    const rows = this.#db
      .prepare(
        `SELECT d.day, d.agent, p.path, m.name, u.user_name, d.events, d.unpriced_events, ${SUMMED.map((c) => `d.${c}`).join(', ')}
         FROM usage_daily d JOIN projects p ON p.id = d.project_id JOIN models m ON m.id = d.model_id JOIN recorders u ON u.id = d.recorder_id
         WHERE ${where.join(' AND ')}`,
      )
      .raw()
      .all(...params) as Raw[];
    return rows.map(toDayRow);
  }

  /** The same rows computed from the quarter hours, for when the cache is not up to date. */
  #compute(filter: DayFilter, zone: LocalDays): DayRow[] {
    const span = this.#db.prepare('SELECT min(bucket) AS lo, max(bucket) AS hi FROM usage_rollup').get() as { lo: number | null; hi: number | null };
    if (span.lo === null || span.hi === null) return [];
    const fromMs = filter.sinceDay !== undefined && Number.isFinite(filter.sinceDay) ? Math.max(span.lo * BUCKET_MS, zone.startOfLocalDay(filter.sinceDay)) : span.lo * BUCKET_MS;
    const toMs = filter.untilDay !== undefined ? Math.min((span.hi + 1) * BUCKET_MS, zone.startOfLocalDay(filter.untilDay + 1)) : (span.hi + 1) * BUCKET_MS;
    if (toMs <= fromMs) return [];
    const where = ['r.bucket >= ?', 'r.bucket < ?', 's.namespace = ?'];
    const params: (string | number)[] = [Math.floor(fromMs / BUCKET_MS), Math.ceil(toMs / BUCKET_MS), filter.namespace];
    addIn(where, params, 's.agent', filter.agents);
    addIn(where, params, 'p.path', filter.projects);
    addRecorderIn(where, params, 's.recorder_id', filter);
    const rows = this.#db
      .prepare(
        `SELECT ${localDayOf(zone, fromMs, toMs)} AS day, s.agent, p.path, m.name, u.user_name, sum(r.events), sum(r.unpriced_events), ${SUMMED.map((c) => `sum(r.${c})`).join(', ')}
         FROM usage_rollup r JOIN sessions s ON s.id = r.session_id JOIN projects p ON p.id = r.project_id JOIN models m ON m.id = r.model_id
           JOIN recorders u ON u.id = s.recorder_id
         WHERE ${where.join(' AND ')}
         GROUP BY 1, 2, 3, 4, 5`,
      )
      .raw()
      .all(...params) as Raw[];
    return rows.map(toDayRow);
  }
}

/** SQL for the local day of `r.bucket`: its start shifted by the zone's offset in force then. */
function localDayOf(zone: LocalDays, fromMs: number, toMs: number): string {
  const segments = zone.segments(fromMs, toMs);
  const offsets = segments.map((s) => Math.round(s.offsetMs));
  let shift: string;
  if (offsets.length <= 1) shift = String(offsets[0] ?? 0);
  else {
    const cases = segments.slice(1).map((s, i) => `WHEN r.bucket * ${BUCKET_MS} < ${s.fromMs} THEN ${offsets[i]}`);
    shift = `CASE ${cases.join(' ')} ELSE ${offsets[offsets.length - 1]} END`;
  }
  return `(r.bucket * ${BUCKET_MS} + ${shift}) / ${DAY_MS}`;
}

/** Another connection holds the write lock (SQLite's SQLITE_BUSY and its extended codes). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function ranges(days: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const day of days) {
    const last = out[out.length - 1];
    if (last !== undefined && day === last[1] + 1) last[1] = day;
    else out.push([day, day]);
  }
  return out;
}

function toDayRow(r: Raw): DayRow {
  return {
    day: r[0],
    agent: r[1],
    project: r[2],
    model: r[3],
    user: r[4],
    events: r[5],
    unpricedEvents: r[6],
    inputTokens: r[7],
    outputTokens: r[8],
    reasoningTokens: r[9],
    cacheWrite5mTokens: r[10],
    cacheWrite1hTokens: r[11],
    cacheReadTokens: r[12],
    costNanos: r[13],
  };
}
