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

/**
 * The cells of the sum tables that differ from the events summed again (none when the sums are
 * exact), for tests: `usage_rollup` by quarter hour and `usage_day` by UTC day, every column.
 */
export async function sumsDrift(location: Extract<LedgerLocation, { engine: 'postgres' }>): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: location.url, options: `-c search_path=${location.schema ?? 'public'}` });
  await client.connect();
  const cols = 'input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos';
  const summed = cols
    .split(', ')
    .map((c) => `sum(${c})::bigint AS ${c}`)
    .join(', ');
  const band = `CASE ${[512000, 272000, 271999, 200000, 199999, 128000].map((cut) => `WHEN input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens > ${cut} THEN ${cut}`).join(' ')} ELSE 0 END`;
  try {
    const drift: unknown[] = [];
    for (const [table, time, grain] of [
      ['usage_rollup', 'bucket', 900_000],
      ['usage_day', 'day', 86_400_000],
    ] as const) {
      const fresh = `SELECT occurred_at / ${grain} AS ${time}, session_id, project_id, model_id, ${band} AS prompt_band, count(*)::bigint AS events,
                            count(*) FILTER (WHERE unpriced)::bigint AS unpriced_events, ${summed} FROM events GROUP BY 1, 2, 3, 4, 5`;
      const kept = `SELECT ${time}, session_id, project_id, model_id, prompt_band, events, unpriced_events, ${cols} FROM ${table}`;
      const rows = await client.query(`(${fresh} EXCEPT ${kept}) UNION ALL (${kept} EXCEPT ${fresh})`);
      drift.push(...rows.rows.map((r) => ({ table, ...r })));
    }
    return drift;
  } finally {
    await client.end();
  }
}

/** The error `promise` rejects with (failing the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error & { code?: string },
  );
}
