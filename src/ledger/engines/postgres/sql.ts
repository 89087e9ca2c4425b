import type pg from 'pg';

/** Anything queries run on: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Numbered parameters of one statement: `add` returns the placeholder of a value. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Adds `column = ANY(list)` for a list filter (nothing for no filter; no rows for an empty list). */
export function addAny(where: string[], params: Params, column: string, values: readonly string[] | undefined): void {
  if (values === undefined) return;
  if (values.length === 0) where.push('false');
  else where.push(`${column} = ANY(${params.add(values)}::text[])`);
}

/** Rows as arrays (the driver's `rowMode: 'array'`), for wide results read by position. */
export async function rowsOf<R extends unknown[]>(db: Queryable, text: string, values: readonly unknown[]): Promise<R[]> {
  const result = await db.query({ text, values: values as unknown[], rowMode: 'array' });
  return result.rows as unknown as R[];
}
