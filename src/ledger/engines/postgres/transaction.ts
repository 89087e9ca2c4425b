import type pg from 'pg';
import { isRetryable } from './errors.js';

/** How many times a transaction is run again after a serialisation failure or a deadlock. */
export const RETRIES = 5;

/**
 * Runs `work` in one transaction on one client of the pool, again (from the start) after a
 * serialisation failure or a deadlock, a bounded number of times. A client whose connection broke
 * is discarded, not returned to the pool. `failed` runs after every rollback.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, failed?: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      failed?.();
      let broken: Error | undefined;
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      client.release(broken);
      if (isRetryable(error) && attempt < RETRIES) continue;
      throw error;
    }
  }
}
