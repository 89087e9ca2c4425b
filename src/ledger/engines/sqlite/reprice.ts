import type { RepriceInput, RepriceOutput, RepriceResult } from '../../ledger.js';
import { REPRICE_AS_READ, type RepriceColumns, repriceInput } from '../../rows.js';
import type { Db } from './open.js';

interface RepriceRow extends RepriceColumns {
  id: number;
  model_id: number;
  cost_nanos: number;
  unpriced: number;
  price_version_id: number;
}

const BATCH = 5_000;

const AS_READ = REPRICE_AS_READ;

/**
 * Prices every event again, 5,000 at a time: a batch is read and priced without holding the
 * write lock, then written in one transaction, each event only if it is still as it was read
 * (compare and set). An event another writer changed meanwhile (a sync storing a larger copy) is
 * read and priced again inside that transaction, so no cost is ever computed from token counts
 * the ledger no longer holds. Only changed costs go through the update trigger (which keeps the
 * rollups right); an unchanged cost only gets the new version. Price versions no event refers to
 * any more are removed.
 */
export function reprice(db: Db, priceVersionId: number, price: (event: RepriceInput) => RepriceOutput): RepriceResult {
  const columns = `e.id, m.name, m.provider, e.price_version_id, ${AS_READ.map((c) => `e.${c}`).join(', ')}`;
  const select = db.prepare(`SELECT ${columns} FROM events e JOIN models m ON m.id = e.model_id WHERE e.id > ? ORDER BY e.id LIMIT ${BATCH}`);
  const selectOne = db.prepare(`SELECT ${columns} FROM events e JOIN models m ON m.id = e.model_id WHERE e.id = ?`);
  // `IS` compares NULL (a standard service tier) as a value, like every other column.
  const unchanged = `id = ? AND ${AS_READ.map((c) => `${c} IS ?`).join(' AND ')}`;
  const updateCost = db.prepare(`UPDATE events SET cost_nanos = ?, unpriced = ?, price_version_id = ? WHERE ${unchanged}`);
  const updateVersion = db.prepare(`UPDATE events SET price_version_id = ? WHERE ${unchanged}`);
  const result: RepriceResult = { events: 0, changed: 0, stillUnpriced: 0 };

  /** Writes `out` for `row` if the event is still as read; returns false when it is not. */
  const write = (row: RepriceRow, out: RepriceOutput): boolean => {
    const asRead = [row.id, ...AS_READ.map((c) => row[c])];
    const costChanged = out.costNanos !== row.cost_nanos || Number(out.unpriced) !== row.unpriced;
    if (costChanged) {
      if (updateCost.run(out.costNanos, Number(out.unpriced), priceVersionId, ...asRead).changes === 0) return false;
      result.changed += 1;
    } else if (row.price_version_id !== priceVersionId) {
      if (updateVersion.run(priceVersionId, ...asRead).changes === 0) return false;
    }
    return true;
  };
  const count = (out: RepriceOutput): void => {
    result.events += 1;
    if (out.unpriced) result.stillUnpriced += 1;
  };

  let after = 0;
  for (;;) {
    const rows = select.all(after) as RepriceRow[];
    if (rows.length === 0) break;
    const priced = rows.map((row) => ({ row, out: price(repriceInput(row)) }));
    db.transaction(() => {
      for (const { row, out } of priced) {
        if (write(row, out)) {
          count(out);
          continue;
        }
        // Changed since it was read: under the lock now, so this read and write cannot be overtaken.
        const now = selectOne.get(row.id) as RepriceRow | undefined;
        if (now === undefined) continue; // removed meanwhile (a replay superseded by its main copy)
        const again = price(repriceInput(now));
        write(now, again);
        count(again);
      }
    }).immediate();
    after = (rows[rows.length - 1] as RepriceRow).id;
  }
  // Price versions no event names any more are kept: another process may hold the id of one it
  // looked up before its commit (a label is a few bytes; push and pull name events' prices by it).
  return result;
}
