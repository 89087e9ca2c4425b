import type { UsageFilter } from '../../ledger.js';
import { BUCKET_MS, DAY_MS } from './schema.js';
import { addAny, type Params } from './sql.js';

const QUARTERS_PER_DAY = DAY_MS / BUCKET_MS;
const KEY_AND_SUMS =
  'session_id, project_id, model_id, prompt_band, events, unpriced_events, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos';

/**
 * The sum rows of [since, until) as `FROM` text aliased `r`: whole UTC days from `usage_day`, the
 * quarter hours before the first and after the last whole day from `usage_rollup`; quarter hours
 * only when they are asked for (then `r.bucket` exists). Time is rounded out to quarter hours.
 */
export function sumSource(params: Params, since: number | undefined, until: number | undefined, quarterHours: boolean): string {
  const fromQ = since === undefined ? undefined : Math.floor(since / BUCKET_MS);
  const toQ = until === undefined ? undefined : Math.ceil(until / BUCKET_MS);
  const range = (column: string, from: number | undefined, to: number | undefined): string =>
    [from === undefined ? 'true' : `${column} >= ${params.add(from)}`, to === undefined ? 'true' : `${column} < ${params.add(to)}`].join(' AND ');
  const rollup = (from: number | undefined, to: number | undefined): string => `SELECT bucket, ${KEY_AND_SUMS} FROM usage_rollup WHERE ${range('bucket', from, to)}`;
  const fromDay = fromQ === undefined ? undefined : Math.ceil(fromQ / QUARTERS_PER_DAY);
  const toDay = toQ === undefined ? undefined : Math.floor(toQ / QUARTERS_PER_DAY);
  if (quarterHours || (fromDay !== undefined && toDay !== undefined && fromDay >= toDay)) {
    if (fromQ === undefined && toQ === undefined) return 'usage_rollup r';
    return `(${rollup(fromQ, toQ)}) r`;
  }
  if (fromDay === undefined && toDay === undefined) return 'usage_day r';
  const pieces = [`SELECT NULL::bigint AS bucket, ${KEY_AND_SUMS} FROM usage_day WHERE ${range('day', fromDay, toDay)}`];
  if (fromQ !== undefined && fromDay !== undefined && fromQ < fromDay * QUARTERS_PER_DAY) pieces.push(rollup(fromQ, fromDay * QUARTERS_PER_DAY));
  if (toQ !== undefined && toDay !== undefined && toDay * QUARTERS_PER_DAY < toQ) pieces.push(rollup(toDay * QUARTERS_PER_DAY, toQ));
  return `(${pieces.join(' UNION ALL ')}) r`;
}

/**
 * WHERE terms over sums `r` joined to `sessions s`: namespace, agents, projects (by `r.project_id`),
 * providers (of the rows' models), users and machines (of the sessions' recorders). Time is the
 * source's concern (`sumSource`), or `bucketRange` for queries on `usage_rollup` alone.
 */
export function sumWhere(params: Params, filter: Omit<UsageFilter, 'since' | 'until'>): string[] {
  const where = [`s.namespace = ${params.add(filter.namespace)}`];
  addAny(where, params, 's.agent', filter.agents);
  if (filter.projects !== undefined) {
    const inner: string[] = [];
    addAny(inner, params, 'path', filter.projects);
    where.push(`r.project_id IN (SELECT id FROM projects WHERE ${inner.join(' AND ')})`);
  }
  if (filter.providers !== undefined) {
    const inner: string[] = [];
    addAny(inner, params, 'provider', filter.providers);
    where.push(`r.model_id IN (SELECT id FROM models WHERE ${inner.join(' AND ')})`);
  }
  const recorder: string[] = [];
  addAny(recorder, params, 'user_name', filter.users);
  addAny(recorder, params, 'machine', filter.machines);
  if (recorder.length > 0) where.push(`s.recorder_id IN (SELECT id FROM recorders WHERE ${recorder.join(' AND ')})`);
  return where;
}

/** `r.bucket` within [since, until), rounded out to quarter hours. */
export function bucketRange(params: Params, since: number | undefined, until: number | undefined): string[] {
  const where: string[] = [];
  if (since !== undefined) where.push(`r.bucket >= ${params.add(Math.floor(since / BUCKET_MS))}`);
  if (until !== undefined) where.push(`r.bucket < ${params.add(Math.ceil(until / BUCKET_MS))}`);
  return where;
}
