import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { MIGRATIONS } from './schema.js';
import { postgresTestLocation, rejection } from './test-schema.js';

let location: PostgresLocation;
let drop: () => Promise<void>;
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
});
afterEach(() => drop());

async function sql<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: location.url, options: `-c search_path=${location.schema}` });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations (PostgreSQL-specific: the advisory lock and the version check are the engine's own)", () => {
  it('creates the schema when missing, and two handles opening a fresh schema at once migrate it once', async () => {
    const ledgers = await Promise.all([openLedger(location), openLedger(location), openLedger(location)]);
    await Promise.all(ledgers.map((l) => l.close()));
    expect(await sql("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([{ value: String(MIGRATIONS.length) }]);
    // Opening a current ledger again changes nothing.
    const again = await openLedger(location);
    expect(await again.projects()).toEqual([]);
    await again.close();
  });

  it('refuses a ledger written by a newer tokenledger, writing nothing', async () => {
    await (await openLedger(location)).close();
    await sql("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
    const error = await rejection(openLedger(location));
    expect(error).toMatchObject({ code: 'LEDGER_TOO_NEW' });
    expect(String((error as Error).message)).toContain(`schema ${location.schema}`);
    expect(await sql("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([{ value: '999' }]);
  });

  it('refuses a schema holding tables of another program, leaving them as they are', async () => {
    await sql(`CREATE SCHEMA ${location.schema}; CREATE TABLE ${location.schema}.events (id int)`);
    expect(await rejection(openLedger(location))).toMatchObject({ code: 'LEDGER' });
    expect(await sql("SELECT to_regclass('meta') AS meta")).toEqual([{ meta: null }]);
  });
});
