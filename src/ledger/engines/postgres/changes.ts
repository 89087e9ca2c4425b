import type pg from 'pg';
import type { ChangePage, StoredDrop } from '../../ledger.js';
import { STORED_EVENT_COLUMNS, type StoredEventRow, storedEventFromRow } from '../../rows.js';

/**
 * What was recorded or changed after position `after`: events inserted or replaced and drops
 * recorded share one sequence (`change_seq`), and commits take their positions one at a time (a
 * transaction-scoped lock held from their first position to their commit), so a position once
 * read is never followed later by a smaller one. Events and drops are read in one snapshot; a page
 * ends at the smaller of the last event's and the last drop's position when either list is full.
 */
export async function changes(pool: pg.Pool, after: number, limit: number): Promise<ChangePage> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const events = (
      await client.query({
        text: `SELECT ${STORED_EVENT_COLUMNS}
               FROM events e JOIN sessions s ON s.id = e.session_id JOIN recorders r ON r.id = s.recorder_id JOIN projects p ON p.id = e.project_id
                 JOIN models m ON m.id = e.model_id JOIN price_versions v ON v.id = e.price_version_id
               WHERE e.change_seq > $1 ORDER BY e.change_seq LIMIT $2`,
        values: [after, limit],
        rowMode: 'array',
      })
    ).rows as unknown as StoredEventRow[];
    const drops = (
      await client.query<{ change_seq: number; path: string; line: number; reason: string; machine: string }>(
        'SELECT d.change_seq, f.path, d.line, d.reason, f.machine FROM drops d JOIN files f ON f.id = d.file_id WHERE d.change_seq > $1 ORDER BY d.change_seq LIMIT $2',
        [after, limit],
      )
    ).rows;
    await client.query('COMMIT');
    let upper = Number.POSITIVE_INFINITY;
    if (events.length === limit) upper = Math.min(upper, (events[events.length - 1] as StoredEventRow)[0]);
    if (drops.length === limit) upper = Math.min(upper, (drops[drops.length - 1] as { change_seq: number }).change_seq);
    const pageEvents = events.filter((e) => e[0] <= upper);
    const pageDrops = drops.filter((d) => d.change_seq <= upper);
    const next = Math.max(after, ...pageEvents.map((e) => e[0]), ...pageDrops.map((d) => d.change_seq));
    return {
      events: pageEvents.map((e) => storedEventFromRow(e, { user: e[20] as string, machine: e[21] as string })),
      drops: pageDrops.map((d): StoredDrop => ({ path: d.path, line: d.line, reason: d.reason, machine: d.machine })),
      next,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
