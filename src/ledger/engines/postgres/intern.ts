import type { Queryable } from './sql.js';

/**
 * Ids of sessions, projects, models and recorders, created on first use: set-based, a couple of
 * statements per kind and commit however many events it holds, cached across commits (cleared
 * when a transaction rolls back, since ids it created may not exist).
 */
export class Interner {
  readonly #cache = new Map<string, Map<string, number>>();

  forget(): void {
    this.#cache.clear();
  }

  /**
   * The ids of `keys` (tuples of text, or a number in an `int8` column) in `table`'s `columns`,
   * are its unique key (the first `keyCount` of them: the others are only written when the row is
   * created). `types` are the columns' SQL types. The result is keyed by the key columns joined by NUL.
   */
  async ids(
    db: Queryable,
    table: string,
    columns: readonly string[],
    types: readonly string[],
    keys: readonly (readonly (string | number)[])[],
    keyCount = columns.length,
  ): Promise<Map<string, number>> {
    let cache = this.#cache.get(table);
    if (cache === undefined) this.#cache.set(table, (cache = new Map()));
    const missing = new Map<string, readonly (string | number)[]>();
    const textOf = (key: readonly (string | number)[]): string => key.slice(0, keyCount).join('\0');
    for (const key of keys) {
      const text = textOf(key);
      if (!cache.has(text) && !missing.has(text)) missing.set(text, key);
    }
    if (missing.size > 0) {
      // Sorted, so two writers creating the same new ids lock them in one order.
      const tuples = [...missing.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, key]) => key);
      const arrays = columns.map((_, i) => tuples.map((t) => t[i]));
      const unnest = `unnest(${columns.map((_, i) => `$${i + 1}::${types[i]}[]`).join(', ')}) WITH ORDINALITY AS k(${columns.join(', ')}, n)`;
      const list = columns.join(', ');
      await db.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${unnest} ORDER BY n ON CONFLICT DO NOTHING`, arrays);
      const keyList = columns.slice(0, keyCount);
      const found = await db.query({
        text: `SELECT t.id, ${keyList.map((c) => `t.${c}`).join(', ')} FROM ${table} t JOIN ${unnest} USING (${keyList.join(', ')})`,
        values: arrays,
        rowMode: 'array',
      });
      for (const row of found.rows as unknown as unknown[][]) cache.set(row.slice(1).join('\0'), row[0] as number);
    }
    const out = new Map<string, number>();
    for (const key of keys) {
      const text = textOf(key);
      out.set(text, cache.get(text) as number);
    }
    return out;
  }
}
