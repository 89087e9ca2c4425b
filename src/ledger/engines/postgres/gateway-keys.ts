import type { GatewayKey, KeyChange, KeyMeter } from '../../gateway-keys.js';
import { type KeyRow, keyExists, keyFromRow, type MeterRow, meterFromRow } from '../../gateway-key-rows.js';
import type { Queryable } from './sql.js';

/** The gateway's keys and their meters in a PostgreSQL ledger (admission.ts and settlements.ts do the rest). */

export async function createKey(db: Queryable, key: GatewayKey): Promise<void> {
  const inserted = await db.query(
    `INSERT INTO gateway_keys (namespace, name, secret_hash, secret_prefix, created_at, revoked_at, rotated_at, rpm, tpm, project)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [key.namespace, key.name, key.secretHash, key.secretPrefix, key.createdAt, key.revokedAt ?? null, key.rotatedAt ?? null, key.rpm ?? null, key.tpm ?? null, key.project ?? null],
  );
  if (inserted.rowCount !== 1) throw keyExists(key.namespace, key.name);
}

export async function updateKey(db: Queryable, namespace: string, name: string, change: KeyChange): Promise<boolean> {
  const updated = await db.query(
    `UPDATE gateway_keys SET secret_hash = coalesce($1, secret_hash), secret_prefix = coalesce($2, secret_prefix),
       revoked_at = coalesce($3, revoked_at), rotated_at = coalesce($4, rotated_at)
     WHERE namespace = $5 AND name = $6`,
    [change.secretHash ?? null, change.secretPrefix ?? null, change.revokedAt ?? null, change.rotatedAt ?? null, namespace, name],
  );
  return updated.rowCount === 1;
}

export async function gatewayKeys(db: Queryable, namespace: string): Promise<GatewayKey[]> {
  const rows = await db.query<KeyRow>('SELECT * FROM gateway_keys WHERE namespace = $1 ORDER BY name COLLATE "C"', [namespace]);
  return rows.rows.map(keyFromRow);
}

export async function keyMeters(db: Queryable, namespace: string, names?: readonly string[]): Promise<KeyMeter[]> {
  const rows = await db.query<MeterRow>(
    `SELECT k.name, k.created_at, m.reset_at, m.prompt_count, m.input_tokens, m.output_tokens, m.reasoning_tokens, m.cache_write_5m_tokens,
       m.cache_write_1h_tokens, m.cache_read_tokens, m.cost_nanos, m.reported_cost_nanos, m.last_activity_at
     FROM gateway_keys k LEFT JOIN key_meters m ON m.namespace = k.namespace AND m.name = k.name
     WHERE k.namespace = $1 AND ($2::text[] IS NULL OR k.name = ANY($2::text[])) ORDER BY k.name COLLATE "C"`,
    [namespace, names === undefined ? null : [...names]],
  );
  return rows.rows.map((r) => meterFromRow(namespace, r));
}

export async function resetMeters(db: Queryable, namespace: string, names: readonly string[] | 'all', at: number): Promise<number> {
  const reset = await db.query(
    `INSERT INTO key_meters (namespace, name, reset_at, prompt_count, input_tokens, output_tokens, reasoning_tokens, cache_write_5m_tokens,
       cache_write_1h_tokens, cache_read_tokens, cost_nanos, reported_cost_nanos, last_activity_at)
     SELECT namespace, name, $1, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL FROM gateway_keys
     WHERE namespace = $2 AND ($3::text[] IS NULL OR name = ANY($3::text[])) ORDER BY name COLLATE "C"
     ON CONFLICT (namespace, name) DO UPDATE SET reset_at = excluded.reset_at, prompt_count = 0, input_tokens = 0, output_tokens = 0,
       reasoning_tokens = 0, cache_write_5m_tokens = 0, cache_write_1h_tokens = 0, cache_read_tokens = 0, cost_nanos = 0,
       reported_cost_nanos = 0, last_activity_at = NULL`,
    [at, namespace, names === 'all' ? null : [...names]],
  );
  return reset.rowCount ?? 0;
}
