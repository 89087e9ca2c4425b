import type pg from 'pg';
import { isRetryable } from './errors.js';

/** How many times a transaction is run again after a serialisation failure or a deadlock. */
export const RETRIES = 5;

/**
 * Runs `work` in one transaction on one client of the pool, again (from the start) after a
 * serialisation failure or a deadlock, a bounded number of times. A client whose connection broke
 * is discarded, not returned to the pool. `failed` runs after every rollback; `retryable` says
 * which failures run it again (default: serialisation failures and deadlocks).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: { failed?: () => void; retryable?: (error: unknown) => boolean } = {}): Promise<T> {
  const retryable = options.retryable ?? isRetryable;
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      options.failed?.();
      let broken: Error | undefined;
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      client.release(broken);
      if (retryable(error) && attempt < RETRIES) continue;
      throw error;
    }
  }
}
