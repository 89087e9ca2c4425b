import type { UsageFilter } from '../../ledger.js';
import { BUCKET_MS } from './migrations.js';
import { addIn, addRecorderIn } from './sql-in.js';

/**
 * The WHERE terms of a query over `usage_rollup r` joined to `sessions s` (and `projects p` when
 * the filter names projects): namespace, time (rounded out to whole quarter hours), agents, projects,
 * providers (of the rows' models), users and machines (of the sessions' recorders).
 */
export function rollupWhere(filter: Omit<UsageFilter, 'agents' | 'projects' | 'providers'> & Partial<Pick<UsageFilter, 'agents' | 'projects' | 'providers'>>): {
  where: string[];
  params: (number | string)[];
} {
  const where: string[] = ['s.namespace = ?'];
  const params: (number | string)[] = [filter.namespace];
  if (filter.since !== undefined) {
    where.push('r.bucket >= ?');
    params.push(Math.floor(filter.since / BUCKET_MS));
  }
  if (filter.until !== undefined) {
    where.push('r.bucket < ?');
    params.push(Math.ceil(filter.until / BUCKET_MS));
  }
  addIn(where, params, 's.agent', filter.agents);
  addIn(where, params, 'p.path', filter.projects);
  if (filter.providers !== undefined) {
    const inner: string[] = [];
    addIn(inner, params, 'provider', filter.providers);
    where.push(`r.model_id IN (SELECT id FROM models WHERE ${inner.join(' AND ')})`);
  }
  addRecorderIn(where, params, 's.recorder_id', filter);
  return { where, params };
}
