import type { RateLimitSnapshot, RateLimitWindow } from '../../../core/usage-event.js';
import { sessionKey, type DayFilter, type DayRow, type DroppedRecord, type LocalDays, type Partition, type RollupRow, type SessionInfo, type UsageFilter } from '../../ledger.js';
import type { Recorder } from '../../recorder.js';
import type { DailyCache } from './daily-cache.js';
import { BUCKET_MS, SUMMED } from './migrations.js';
import type { Db } from './open.js';
import { rollupWhere } from './rollup-filter.js';
import { addIn, addRecorderIn } from './sql-in.js';

type Raw = [number, string, string, string, string, string, number, number, number, number, number, number, number, number, number];

export class SqliteReader {
  readonly #db: Db;
  readonly #daily: DailyCache;

  constructor(db: Db, daily: DailyCache) {
    this.#db = db;
    this.#daily = daily;
  }

  days(filter: DayFilter, zone: LocalDays): DayRow[] {
    return this.#daily.rows(filter, zone);
  }

  /** Quarter-hour rows summed per session, project and model within the filter. */
  sessionUsage(filter: UsageFilter): RollupRow[] {
    const { where, params } = rollupWhere(filter);
    const sql = `
      SELECT min(r.bucket), s.agent, s.session_key, p.path, m.name, u.user_name,
             ${['events', 'unpriced_events', ...SUMMED].map((c) => `sum(r.${c})`).join(', ')}
      FROM usage_rollup r
      JOIN sessions s ON s.id = r.session_id
      JOIN projects p ON p.id = r.project_id
      JOIN models m ON m.id = r.model_id
      JOIN recorders u ON u.id = s.recorder_id
      WHERE ${where.join(' AND ')}
      GROUP BY r.session_id, r.project_id, r.model_id`;
    const rows = this.#db
      .prepare(sql)
      .raw()
      .all(...params) as Raw[];
    return rows.map((r) => ({
      bucketStart: r[0] * BUCKET_MS,
      agent: r[1],
      sessionId: r[2],
      project: r[3],
      model: r[4],
      user: r[5],
      events: r[6],
      unpricedEvents: r[7],
      inputTokens: r[8],
      outputTokens: r[9],
      reasoningTokens: r[10],
      cacheWrite5mTokens: r[11],
      cacheWrite1hTokens: r[12],
      cacheReadTokens: r[13],
      costNanos: r[14],
    }));
  }

  sessions(filter: UsageFilter): Map<string, SessionInfo> {
    const where: string[] = ['s.first_at IS NOT NULL', 's.namespace = ?'];
    const params: (number | string)[] = [filter.namespace];
    if (filter.since !== undefined) {
      where.push('s.last_at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('s.first_at < ?');
      params.push(filter.until);
    }
    addIn(where, params, 's.agent', filter.agents);
    addRecorderIn(where, params, 's.recorder_id', filter);
    const rows = this.#db
      .prepare(`SELECT s.agent, s.session_key, s.first_at, s.last_at, u.user_name, u.machine FROM sessions s LEFT JOIN recorders u ON u.id = s.recorder_id WHERE ${where.join(' AND ')}`)
      .raw()
      .all(...params) as [string, string, number, number, string | null, string | null][];
    const map = new Map<string, SessionInfo>();
    for (const [agent, sessionId, firstActivity, lastActivity, user, machine] of rows) {
      map.set(sessionKey(agent, sessionId), { agent, sessionId, firstActivity, lastActivity, ...(user === null ? {} : { user }), ...(machine === null ? {} : { machine }) });
    }
    return map;
  }

  /** Every user and machine that recorded a session. */
  recorders(): Recorder[] {
    return this.#db.prepare('SELECT DISTINCT r.user_name AS user, r.machine AS machine FROM recorders r JOIN sessions s ON s.recorder_id = r.id ORDER BY 1, 2').all() as Recorder[];
  }

  projects(): string[] {
    return this.#db.prepare('SELECT path FROM projects ORDER BY path').pluck().all() as string[];
  }

  partitions(): Partition[] {
    // The unique index on (namespace, agent, session_key) answers this without reading the table.
    const rows = this.#db.prepare('SELECT DISTINCT namespace, agent FROM sessions ORDER BY namespace, agent').raw().all() as [string, string][];
    const byNamespace = new Map<string, string[]>();
    for (const [namespace, agent] of rows) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), agent]);
    return [...byNamespace].map(([namespace, agents]) => ({ namespace, agents }));
  }

  latestRateLimits(since: number): RateLimitSnapshot[] {
    const rows = this.#db
      .prepare(
        `SELECT agent, session_key, occurred_at, windows, plan_type, limit_id FROM (
           SELECT *, row_number() OVER (PARTITION BY agent, coalesce(limit_id, '') ORDER BY occurred_at DESC) AS n
           FROM rate_limits WHERE occurred_at >= ?)
         WHERE n = 1 ORDER BY agent, limit_id`,
      )
      .all(since) as { agent: string; session_key: string; occurred_at: number; windows: string; plan_type: string | null; limit_id: string | null }[];
    return rows.map((r) => ({
      agent: r.agent,
      sessionId: r.session_key,
      occurredAt: r.occurred_at,
      windows: JSON.parse(r.windows) as RateLimitWindow[],
      ...(r.plan_type === null ? {} : { planType: r.plan_type }),
      ...(r.limit_id === null ? {} : { limitId: r.limit_id }),
    }));
  }

  drops(limit: number): DroppedRecord[] {
    return this.#db
      .prepare('SELECT f.path AS path, d.line AS line, d.reason AS reason FROM drops d JOIN files f ON f.id = d.file_id ORDER BY d.seen_at DESC, f.path, d.line LIMIT ?')
      .all(limit) as DroppedRecord[];
  }

  hasStale(priceVersionId: number): boolean {
    // Versions nothing refers to any more are deleted by reprice: usually there is only one.
    const others = this.#db.prepare('SELECT count(*) FROM price_versions WHERE id <> ?').pluck().get(priceVersionId) as number;
    if (others === 0) return false;
    return this.#db.prepare('SELECT EXISTS (SELECT 1 FROM events WHERE price_version_id <> ?)').pluck().get(priceVersionId) === 1;
  }
}
