import type { Statement } from 'better-sqlite3';
import type { EventRow, UsageDimension, UsageFilter, UsageRow } from '../../ledger.js';
import { BUCKET_MS, DAY_MS, SUMMED } from './migrations.js';
import type { Db } from './open.js';
import { rollupWhere } from './rollup-filter.js';

/** Per dimension: the columns it selects (as row fields), what it groups by, and the table it needs. */
const DIMENSIONS: Record<UsageDimension, { select: [string, string][]; group: string; join?: string }> = {
  session: {
    select: [
      ['s.agent', 'agent'],
      ['s.session_key', 'sessionId'],
    ],
    group: 'r.session_id',
  },
  project: { select: [['p.path', 'project']], group: 'r.project_id', join: 'JOIN projects p ON p.id = r.project_id' },
  model: {
    select: [
      ['m.name', 'model'],
      ['m.provider', 'provider'],
    ],
    group: 'r.model_id',
    join: 'JOIN models m ON m.id = r.model_id',
  },
  promptBand: { select: [['r.prompt_band', 'promptAbove']], group: 'r.prompt_band' },
  bucket: { select: [[`r.bucket * ${BUCKET_MS}`, 'bucketStart']], group: 'r.bucket' },
  user: { select: [['u.user_name', 'user']], group: 'u.user_name', join: 'JOIN recorders u ON u.id = s.recorder_id' },
};

const TOTALS: [string, string][] = [
  ['events', 'events'],
  ['unpriced_events', 'unpricedEvents'],
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['cache_write_5m_tokens', 'cacheWrite5mTokens'],
  ['cache_write_1h_tokens', 'cacheWrite1hTokens'],
  ['cache_read_tokens', 'cacheReadTokens'],
  ['cost_nanos', 'costNanos'],
];

const KEY_AND_SUMS = ['session_id', 'project_id', 'model_id', 'prompt_band', ...TOTALS.map(([column]) => column)].join(', ');

interface Piece {
  table: 'usage_rollup' | 'usage_day';
  where: string;
  params: number[];
}

const QUARTERS_PER_DAY = DAY_MS / BUCKET_MS;

/**
 * Where the sums of [since, until) come from: whole UTC days from `usage_day`, the quarter hours
 * before the first and after the last whole day from `usage_rollup` (ten times as many rows per
 * day). Quarter hours only when they are asked for.
 */
function timePieces(since: number | undefined, until: number | undefined, quarterHours: boolean): Piece[] {
  const fromQ = since === undefined ? undefined : Math.floor(since / BUCKET_MS);
  const toQ = until === undefined ? undefined : Math.ceil(until / BUCKET_MS);
  const rollup = (from: number | undefined, to: number | undefined): Piece => ({
    table: 'usage_rollup',
    where: [from === undefined ? '1' : 'bucket >= ?', to === undefined ? '1' : 'bucket < ?'].join(' AND '),
    params: [from, to].filter((v): v is number => v !== undefined),
  });
  const fromDay = fromQ === undefined ? undefined : Math.ceil(fromQ / QUARTERS_PER_DAY);
  const toDay = toQ === undefined ? undefined : Math.floor(toQ / QUARTERS_PER_DAY);
  if (quarterHours || (fromDay !== undefined && toDay !== undefined && fromDay >= toDay)) return [rollup(fromQ, toQ)];
  const pieces: Piece[] = [
    {
      table: 'usage_day',
      where: [fromDay === undefined ? '1' : 'day >= ?', toDay === undefined ? '1' : 'day < ?'].join(' AND '),
      params: [fromDay, toDay].filter((v): v is number => v !== undefined),
    },
  ];
  if (fromQ !== undefined && fromDay !== undefined && fromQ < fromDay * QUARTERS_PER_DAY) pieces.push(rollup(fromQ, fromDay * QUARTERS_PER_DAY));
  if (toQ !== undefined && toDay !== undefined && toDay * QUARTERS_PER_DAY < toQ) pieces.push(rollup(toDay * QUARTERS_PER_DAY, toQ));
  return pieces;
}

/**
 * The sum rows of [since, until), as `FROM` text aliased `r` (with session, project, model and band
 * ids and the sums) and the WHERE terms it needs. One table is queried as itself (its time terms
 * join the WHERE; no other table has a `bucket` or `day` column); several are read as one UNION ALL.
 * Parameters: `sourceParams` first, then the caller's WHERE parameters, then `whereParams`.
 */
export function sumSource(since: number | undefined, until: number | undefined, quarterHours: boolean): { source: string; sourceParams: number[]; where: string[]; whereParams: number[] } {
  const pieces = timePieces(since, until, quarterHours);
  const single = pieces.length === 1 ? pieces[0] : undefined;
  if (single !== undefined) return { source: `${single.table} r`, sourceParams: [], where: [single.where], whereParams: single.params };
  return {
    source: `(${pieces.map((p) => `SELECT ${p.table === 'usage_rollup' ? 'bucket' : 'NULL AS bucket'}, ${KEY_AND_SUMS} FROM ${p.table} WHERE ${p.where}`).join(' UNION ALL ')}) r`,
    sourceParams: pieces.flatMap((p) => p.params),
    where: [],
    whereParams: [],
  };
}

/** Prepared statements by dimension list and filter shape: analysis commands ask the same few. */
export class UsageQuery {
  readonly #db: Db;
  readonly #statements = new Map<string, Statement<unknown[]>>();

  constructor(db: Db) {
    this.#db = db;
    if (TOTALS.length !== SUMMED.length + 2) throw new Error('usage-query.ts lists other columns than the rollup sums');
  }

  usage(filter: UsageFilter, by: readonly UsageDimension[]): UsageRow[] {
    const dims = [...new Set(by)].map((d) => DIMENSIONS[d]);
    const { where, params } = rollupWhere({
      namespace: filter.namespace,
      agents: filter.agents,
      projects: filter.projects,
      providers: filter.providers,
      users: filter.users,
      machines: filter.machines,
    });
    const joins = new Set(dims.flatMap((d) => (d.join === undefined ? [] : [d.join])));
    if (filter.projects !== undefined) joins.add(DIMENSIONS.project.join as string);
    const sums = sumSource(filter.since, filter.until, by.includes('bucket'));
    const select = [...dims.flatMap((d) => d.select.map(([sql, field]) => `${sql} AS ${field}`)), ...TOTALS.map(([column, field]) => `sum(r.${column}) AS ${field}`)];
    const sql = `
      SELECT ${select.join(', ')}
      FROM ${sums.source} JOIN sessions s ON s.id = r.session_id ${[...joins].join(' ')}
      WHERE ${[...where, ...sums.where].join(' AND ')}
      ${dims.length > 0 ? `GROUP BY ${dims.map((d) => d.group).join(', ')}` : ''}`;
    let statement = this.#statements.get(sql);
    if (statement === undefined) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    const rows = statement.all(...sums.sourceParams, ...params, ...sums.whereParams) as UsageRow[];
    // Without a grouping, an empty range still yields one row of NULL sums.
    return dims.length === 0 && rows[0]?.events === null ? [] : rows;
  }

  sessionEvents(namespace: string, agent: string, sessionId: string, since: number | undefined): EventRow[] {
    const rows = this.#db
      .prepare(
        `SELECT e.occurred_at AS occurredAt, p.path AS project, m.name AS model, m.provider AS provider,
                e.input_tokens AS inputTokens, e.output_tokens AS outputTokens, e.reasoning_tokens AS reasoningTokens,
                e.cache_write_5m_tokens AS cacheWrite5mTokens, e.cache_write_1h_tokens AS cacheWrite1hTokens,
                e.cache_read_tokens AS cacheReadTokens, e.cost_nanos AS costNanos, e.unpriced AS unpriced, e.sidechain AS sidechain,
                e.service_tier AS serviceTier
         FROM sessions s JOIN events e ON e.session_id = s.id JOIN models m ON m.id = e.model_id JOIN projects p ON p.id = e.project_id
         WHERE s.namespace = ? AND s.agent = ? AND s.session_key = ? AND e.occurred_at >= ?
         ORDER BY e.cost_nanos DESC, e.occurred_at`,
      )
      .all(namespace, agent, sessionId, since ?? Number.MIN_SAFE_INTEGER) as (Omit<EventRow, 'unpriced' | 'sidechain' | 'serviceTier'> & {
      unpriced: number;
      sidechain: number;
      serviceTier: string | null;
    })[];
    return rows.map(({ serviceTier, ...r }) => ({ ...r, unpriced: r.unpriced === 1, sidechain: r.sidechain === 1, ...(serviceTier === null ? {} : { serviceTier }) }));
  }
}
