import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeLocation, parseLedgerLocation } from '../src/ledger/location.js';

/** The PostgreSQL server the bench uses: `BENCH_PG_URL`, else the local one (trust auth). */
export function benchPgUrl(): string {
  return process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The server as messages show it (never a password). */
export function serverName(url: string): string {
  return describeLocation(parseLedgerLocation(url));
}

/** Why the server cannot be used (undefined: it can). */
export async function unreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Schemas of one bench run on the server, each a ledger of its own (`?schema=` on the URL); all
 * of them are dropped at the end, whatever happened.
 */
export class BenchSchemas {
  readonly #url: string;
  readonly #made: string[] = [];

  constructor(url: string) {
    this.#url = url;
  }

  /** The URL of a new, empty schema (the ledger creates its tables when first opened). */
  fresh(label: string): string {
    const name = `tl_bench_${label}_${randomBytes(4).toString('hex')}`;
    this.#made.push(name);
    const url = new URL(this.#url);
    url.searchParams.set('schema', name);
    return url.toString();
  }

  /** Drops the schema of `url` now (a big one is not kept longer than its measures need). */
  async drop(url: string): Promise<void> {
    const name = new URL(url).searchParams.get('schema');
    if (name === null || !this.#made.includes(name)) return;
    await this.#dropNamed([name]);
    this.#made.splice(this.#made.indexOf(name), 1);
  }

  async dropAll(): Promise<void> {
    await this.#dropNamed(this.#made.splice(0));
  }

  async #dropNamed(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const client = new pg.Client({ connectionString: this.#url });
    await client.connect();
    try {
      for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    } finally {
      await client.end();
    }
  }
}
