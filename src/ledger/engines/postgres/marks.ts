import type { Queryable } from './sql.js';

/**
 * How far this ledger was copied to or from another (`Ledger.mark`), kept in `meta` under
 * `mark:<name>` (no table of its own): a mark never moves back.
 */
export async function readMark(db: Queryable, name: string): Promise<number> {
  const result = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [`mark:${name}`]);
  return result.rows.length === 0 ? 0 : Number(result.rows[0]!.value);
}

export async function setMark(db: Queryable, name: string, position: number): Promise<void> {
  await db.query(
    `INSERT INTO meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value::bigint, excluded.value::bigint)::text`,
    [`mark:${name}`, String(position)],
  );
}
