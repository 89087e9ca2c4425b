import type pg from 'pg';
import type { ChangePage, StoredDrop, StoredEvent } from '../../ledger.js';

type EventRaw = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  string | null,
  boolean,
  string | null,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  boolean,
  string,
  string,
  string,
];

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
        text: `SELECT e.change_seq, s.namespace, s.agent, s.session_key, p.path, m.name, m.provider, e.occurred_at, e.dedup_key, e.replay_key, e.sidechain,
                      e.service_tier, e.input_tokens, e.output_tokens, e.reasoning_tokens, e.cache_write_5m_tokens, e.cache_write_1h_tokens,
                      e.cache_read_tokens, e.cost_nanos, e.unpriced, r.user_name, r.machine, v.label
               FROM events e JOIN sessions s ON s.id = e.session_id JOIN recorders r ON r.id = s.recorder_id JOIN projects p ON p.id = e.project_id
                 JOIN models m ON m.id = e.model_id JOIN price_versions v ON v.id = e.price_version_id
               WHERE e.change_seq > $1 ORDER BY e.change_seq LIMIT $2`,
        values: [after, limit],
        rowMode: 'array',
      })
    ).rows as unknown as EventRaw[];
    const drops = (
      await client.query<{ change_seq: number; path: string; line: number; reason: string; machine: string }>(
        'SELECT d.change_seq, f.path, d.line, d.reason, f.machine FROM drops d JOIN files f ON f.id = d.file_id WHERE d.change_seq > $1 ORDER BY d.change_seq LIMIT $2',
        [after, limit],
      )
    ).rows;
    await client.query('COMMIT');
    let upper = Number.POSITIVE_INFINITY;
    if (events.length === limit) upper = Math.min(upper, (events[events.length - 1] as EventRaw)[0]);
    if (drops.length === limit) upper = Math.min(upper, (drops[drops.length - 1] as { change_seq: number }).change_seq);
    const pageEvents = events.filter((e) => e[0] <= upper);
    const pageDrops = drops.filter((d) => d.change_seq <= upper);
    const next = Math.max(after, ...pageEvents.map((e) => e[0]), ...pageDrops.map((d) => d.change_seq));
    return { events: pageEvents.map(toStored), drops: pageDrops.map((d): StoredDrop => ({ path: d.path, line: d.line, reason: d.reason, machine: d.machine })), next };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function toStored(r: EventRaw): StoredEvent {
  return {
    namespace: r[1],
    agent: r[2],
    sessionId: r[3],
    project: r[4],
    model: r[5],
    provider: r[6],
    occurredAt: r[7],
    dedupKey: r[8],
    ...(r[9] === null ? {} : { replayKey: r[9] }),
    ...(r[10] ? { sidechain: true } : {}),
    ...(r[11] === null ? {} : { serviceTier: r[11] }),
    inputTokens: r[12],
    outputTokens: r[13],
    reasoningTokens: r[14],
    cacheWrite5mTokens: r[15],
    cacheWrite1hTokens: r[16],
    cacheReadTokens: r[17],
    costNanos: r[18],
    unpriced: r[19],
    recordedBy: { user: r[20], machine: r[21] },
    priceVersion: r[22],
  };
}
