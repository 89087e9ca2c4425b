import { EVENT_COLUMNS } from '../../rows.js';
import type { PricedEvent } from '../../../core/usage-event.js';
import type { StoredCopy } from './plan.js';
import type { Queryable } from './sql.js';

/** An event ready to be written: its interned ids and the file it was read from. */
export interface EventRow {
  event: PricedEvent;
  fileId: number;
  sessionId: number;
  projectId: number;
  modelId: number;
}

const TYPES = ['text', 'text', 'bool', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'bool', 'text', 'int8'];

/** The rows' values, column by column (one array per column, for `unnest`). */
function columnsOf(rows: readonly EventRow[]): unknown[][] {
  const cols: unknown[][] = EVENT_COLUMNS.map(() => new Array(rows.length));
  rows.forEach(({ event: e, fileId, sessionId, projectId, modelId }, i) => {
    const values = [
      e.dedupKey,
      e.replayKey ?? null,
      e.sidechain === true,
      sessionId,
      projectId,
      modelId,
      fileId,
      e.occurredAt,
      e.inputTokens,
      e.outputTokens,
      e.reasoningTokens,
      e.cacheWrite5mTokens,
      e.cacheWrite1hTokens,
      e.cacheReadTokens,
      e.costNanos,
      e.priceVersionId,
      e.unpriced,
      e.serviceTier ?? null,
      e.reportedCostNanos ?? null,
    ];
    for (let c = 0; c < values.length; c++) (cols[c] as unknown[])[i] = values[c];
  });
  return cols;
}

const UNNEST = (offset: number): string => `unnest(${TYPES.map((t, i) => `$${i + 1 + offset}::${t}[]`).join(', ')})`;

/** Replaces stored events (by id) with the copies that outranked them; each gets a new change position. */
export async function replaceEvents(db: Queryable, rows: readonly { id: number; row: EventRow }[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  await db.query(
    `UPDATE events e SET ${EVENT_COLUMNS.map((c) => `${c} = v.${c}`).join(', ')}, change_seq = nextval('change_seq')
     FROM (SELECT * FROM unnest($1::int8[]) WITH ORDINALITY AS i(id, n) JOIN ${UNNEST(1)} WITH ORDINALITY AS r(${EVENT_COLUMNS.join(', ')}, n) USING (n)) v
     WHERE e.id = v.id`,
    [sorted.map((r) => r.id), ...columnsOf(sorted.map((r) => r.row))],
  );
}

export async function deleteEvents(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await db.query('DELETE FROM events WHERE id = ANY($1::int8[])', [[...ids].sort((a, b) => a - b)]);
}

const COPY_COLUMNS = `e.id, e.dedup_key, e.replay_key, e.sidechain, e.occurred_at, s.session_key, e.input_tokens, e.output_tokens,
  e.cache_write_5m_tokens, e.cache_write_1h_tokens, e.cache_read_tokens, s.agent`;

/**
 * The stored copies `planWrites` decides against, found through indexes: those of `keys`; the
 * sidechain copies of the messages main-conversation events name (`mainReplays`); and every copy
 * of the messages sidechain events name (`sidechainReplays`), as the range of keys a message has.
 */
export async function storedCopies(db: Queryable, keys: readonly string[], mainReplays: readonly string[], sidechainReplays: readonly string[]): Promise<StoredCopy[]> {
  if (keys.length === 0 && mainReplays.length === 0 && sidechainReplays.length === 0) return [];
  const rows = await db.query({
    text: `SELECT ${COPY_COLUMNS} FROM events e JOIN sessions s ON s.id = e.session_id WHERE e.dedup_key = ANY($1::text[])
           UNION SELECT ${COPY_COLUMNS} FROM events e JOIN sessions s ON s.id = e.session_id WHERE e.sidechain AND e.replay_key = ANY($2::text[])
           UNION SELECT ${COPY_COLUMNS} FROM unnest($3::text[]) r
             JOIN events e ON e.dedup_key >= r AND e.dedup_key < r || ';' AND e.replay_key = r JOIN sessions s ON s.id = e.session_id`,
    values: [keys, mainReplays, sidechainReplays],
    rowMode: 'array',
  });
  return (rows.rows as unknown as unknown[][]).map((r) => ({
    id: r[0] as number,
    dedupKey: r[1] as string,
    replayKey: r[2] as string | null,
    sidechain: r[3] as boolean,
    occurredAt: r[4] as number,
    sessionKey: r[5] as string,
    inputTokens: r[6] as number,
    outputTokens: r[7] as number,
    cacheWrite5mTokens: r[8] as number,
    cacheWrite1hTokens: r[9] as number,
    cacheReadTokens: r[10] as number,
    agent: r[11] as string,
  }));
}
