import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { EVENT_COLUMNS } from '../../rows.js';
import type { EventRow } from './event-rows.js';

/** A value as COPY's text format writes it: backslash, tab, newline and carriage return escaped. */
const text = (value: string): string => (/[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value);

/** Lines of COPY text for `rows`, a few hundred rows per chunk. */
function* lines(rows: readonly EventRow[]): Generator<string> {
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const { event: e, fileId, sessionId, projectId, modelId } = rows[i] as EventRow;
    chunk += `${text(e.dedupKey)}\t${e.replayKey === undefined ? '\\N' : text(e.replayKey)}\t${e.sidechain === true ? 't' : 'f'}\t${sessionId}\t${projectId}\t${modelId}\t${fileId}\t${e.occurredAt}\t${e.inputTokens}\t${e.outputTokens}\t${e.reasoningTokens}\t${e.cacheWrite5mTokens}\t${e.cacheWrite1hTokens}\t${e.cacheReadTokens}\t${e.costNanos}\t${e.priceVersionId}\t${e.unpriced ? 't' : 'f'}\t${e.serviceTier === undefined ? '\\N' : text(e.serviceTier)}\t${e.reportedCostNanos === undefined ? '\\N' : e.reportedCostNanos}\n`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Inserts new events with COPY straight into `events`: measured against one INSERT of `unnest`
 * arrays and against COPY into a staging table then INSERT ... SELECT ... ON CONFLICT, on batches
 * of 5,000 events, it was the fastest (medians of 8: 66 ms, 104 ms, about 119 ms). The commit holds
 * the locks under which it found these keys unstored; a key another writer stored meanwhile
 * (outside those locks) fails the COPY as a unique violation, and the writer runs the commit again.
 */
export async function copyEvents(client: pg.PoolClient, rows: readonly EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await pipeline(Readable.from(lines(rows)), client.query(copyStreams.from(`COPY events (${EVENT_COLUMNS.join(', ')}) FROM STDIN`)));
  return rows.length;
}
