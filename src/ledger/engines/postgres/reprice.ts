import type pg from 'pg';
import type { RepriceInput, RepriceOutput, RepriceResult } from '../../ledger.js';
import { REPRICE_AS_READ, type RepriceColumns, repriceInput } from '../../rows.js';
import { inTransaction } from './transaction.js';

const BATCH = 5_000;

const AS_READ = REPRICE_AS_READ;
const AS_READ_TYPES = ['int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'int8', 'bool', 'text'];

interface RepriceRow extends RepriceColumns {
  id: number;
  model_id: number;
  cost_nanos: number;
  unpriced: boolean;
  price_version_id: number;
}

const COLUMNS = `e.id, m.name, m.provider, e.price_version_id, ${AS_READ.map((c) => `e.${c}`).join(', ')}`;

/**
 * Prices every event again, 5,000 at a time: a batch is read and priced outside any transaction,
 * then written in one statement, each event only if it is still as read (compare and set); an
 * event another writer changed meanwhile is read again under its row lock and priced from what
 * it holds now. The sum tables follow through the update trigger. Re-pricing does not move an
 * event's change position (each ledger prices for itself). Unused price versions are removed.
 */
export async function reprice(pool: pg.Pool, priceVersionId: number, price: (event: RepriceInput) => RepriceOutput): Promise<RepriceResult> {
  const result: RepriceResult = { events: 0, changed: 0, stillUnpriced: 0 };
  let after = 0;
  for (;;) {
    const rows = (await pool.query<RepriceRow>(`SELECT ${COLUMNS} FROM events e JOIN models m ON m.id = e.model_id WHERE e.id > $1 ORDER BY e.id LIMIT ${BATCH}`, [after])).rows;
    if (rows.length === 0) break;
    const priced = rows.map((row) => ({ row, out: price(repriceInput(row)) }));
    const counts = await inTransaction(pool, async (client) => {
      const batch: RepriceResult = { events: 0, changed: 0, stillUnpriced: 0 };
      const written = await write(client, priceVersionId, priced);
      const stale = priced.filter(({ row }) => !written.has(row.id)).map(({ row }) => row.id);
      let again: { row: RepriceRow; out: RepriceOutput }[] = [];
      if (stale.length > 0) {
        // Changed since read: read under the row lock now, so this read and write cannot be overtaken.
        const now = (await client.query<RepriceRow>(`SELECT ${COLUMNS} FROM events e JOIN models m ON m.id = e.model_id WHERE e.id = ANY($1::int8[]) ORDER BY e.id FOR UPDATE OF e`, [stale])).rows;
        again = now.map((row) => ({ row, out: price(repriceInput(row)) }));
        await write(client, priceVersionId, again);
      }
      for (const { row, out } of [...priced.filter(({ row }) => written.has(row.id)), ...again]) {
        batch.events += 1;
        if (out.unpriced) batch.stillUnpriced += 1;
        if (out.costNanos !== row.cost_nanos || out.unpriced !== row.unpriced) batch.changed += 1;
      }
      return batch;
    });
    result.events += counts.events;
    result.changed += counts.changed;
    result.stillUnpriced += counts.stillUnpriced;
    after = (rows[rows.length - 1] as RepriceRow).id;
  }
  // Price versions no event names any more are kept: a writer elsewhere may hold the id of one it
  // looked up before its commit, and removing it here would leave its events naming nothing (a
  // label is a few bytes; push and pull name events' prices by it).
  return result;
}

/** Writes each priced row whose event is still as read; returns the ids written (or left as they were). */
async function write(client: pg.PoolClient, priceVersionId: number, priced: readonly { row: RepriceRow; out: RepriceOutput }[]): Promise<Set<number>> {
  const done = new Set<number>();
  const changes = priced.filter(({ row, out }) => out.costNanos !== row.cost_nanos || out.unpriced !== row.unpriced || row.price_version_id !== priceVersionId);
  const changing = new Set(changes.map((c) => c.row.id));
  for (const { row } of priced) if (!changing.has(row.id)) done.add(row.id);
  if (changes.length === 0) return done;
  changes.sort((a, b) => a.row.id - b.row.id);
  const arrays = [changes.map((c) => c.row.id), changes.map((c) => c.out.costNanos), changes.map((c) => c.out.unpriced), ...AS_READ.map((col) => changes.map((c) => c.row[col]))];
  const updated = await client.query<{ id: number }>(
    `UPDATE events e SET cost_nanos = v.new_cost, unpriced = v.new_unpriced, price_version_id = $${arrays.length + 1}
     FROM unnest($1::int8[], $2::int8[], $3::bool[], ${AS_READ_TYPES.map((t, i) => `$${i + 4}::${t}[]`).join(', ')}) AS v(id, new_cost, new_unpriced, ${AS_READ.join(', ')})
     WHERE e.id = v.id AND ${AS_READ.map((c) => `e.${c} IS NOT DISTINCT FROM v.${c}`).join(' AND ')}
     RETURNING e.id`,
    [...arrays, priceVersionId],
  );
  for (const r of updated.rows) done.add(r.id);
  return done;
}
