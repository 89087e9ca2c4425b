import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { LedgerLocation } from '../../location.js';

/** The local test server (CI starts it; trust auth). Overridable for other set-ups. */
export const POSTGRES_TEST_URL = process.env.TOKENLEDGER_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty schema (`tl_test_<random>`) on the local test server for one test or file, as a
 * ledger location; `drop()` removes it with everything in it. The ledger creates its tables on open.
 */
export async function postgresTestLocation(): Promise<{ location: Extract<LedgerLocation, { engine: 'postgres' }>; drop(): Promise<void> }> {
  const schema = `tl_test_${randomBytes(6).toString('hex')}`;
  return {
    location: { engine: 'postgres', url: POSTGRES_TEST_URL, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
