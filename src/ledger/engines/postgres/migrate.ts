import type pg from 'pg';
import { TokenledgerError } from '../../../core/errors.js';
import { MIGRATIONS } from './schema.js';

/**
 * Brings the schema up to date, under a session-level advisory lock so that processes opening a
 * fresh ledger at once migrate it once; each migration runs with its version bump in one
 * transaction. A ledger written by a newer tokenledger is refused before anything is written.
 */
export async function migrate(pool: pg.Pool, schema: string, where: string): Promise<void> {
  const client = await pool.connect();
  try {
    // Fast path, no lock: already current.
    const seen = await schemaVersion(client, schema);
    refuseNewer(seen, where);
    if (seen === MIGRATIONS.length) return;
    await client.query("SELECT pg_advisory_lock(hashtext('tokenledger:migrate'), hashtext($1))", [schema]);
    try {
      for (;;) {
        const current = await schemaVersion(client, schema);
        refuseNewer(current, where);
        if (current === MIGRATIONS.length) return;
        await client.query('BEGIN');
        try {
          if (current === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
          // Functions created now keep this path: temporary tables are searched last, never first.
          await client.query(`SET LOCAL search_path = ${schema}, pg_temp`);
          await client.query(MIGRATIONS[current] as string);
          await client.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(current + 1)]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('tokenledger:migrate'), hashtext($1))", [schema]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/** The schema version of the ledger in `schema` (0: no ledger there yet); a foreign `meta` is refused. */
async function schemaVersion(client: pg.PoolClient, schema: string): Promise<number> {
  const found = await client.query<{ meta: string | null; events: string | null }>('SELECT to_regclass($1) AS meta, to_regclass($2) AS events', [`${schema}.meta`, `${schema}.events`]);
  const row = found.rows[0];
  if (row?.meta === null || row?.meta === undefined) {
    if (row?.events !== null && row?.events !== undefined) throw foreign(schema);
    return 0;
  }
  let value: unknown;
  try {
    value = (await client.query<{ value: string }>(`SELECT value FROM ${schema}.meta WHERE key = 'schema_version'`)).rows[0]?.value;
  } catch {
    throw foreign(schema);
  }
  if (typeof value !== 'string' || !/^[1-9]\d{0,5}$/.test(value)) throw foreign(schema);
  return Number(value);
}

function refuseNewer(version: number, where: string): void {
  if (version > MIGRATIONS.length) {
    throw new TokenledgerError('LEDGER_TOO_NEW', `the ledger at ${where} was written by a newer tokenledger (schema ${version}, this one knows ${MIGRATIONS.length})`, {
      hint: 'upgrade tokenledger on this machine; nothing was written',
    });
  }
}

function foreign(schema: string): TokenledgerError {
  return new TokenledgerError('LEDGER', `the schema ${schema} holds tables that are not a tokenledger ledger; it was left as it is`, {
    hint: 'name another schema (?schema=NAME in the URL) or another database',
  });
}
