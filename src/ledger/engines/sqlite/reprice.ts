import type { RepriceInput, RepriceOutput, RepriceResult } from '../../ledger.js';
import type { Db } from './open.js';

interface RepriceRow {
  id: number;
  occurred_at: number;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  cost_nanos: number;
  unpriced: number;
  price_version_id: number;
  name: string;
  provider: string;
  service_tier: string | null;
}

const BATCH = 5_000;

/**
 * Prices every event again, 5,000 per transaction. Only changed costs go through the update
 * trigger (which keeps the rollups right); an unchanged cost only gets the new version. Price
 * versions no event refers to any more are removed.
 */
export function reprice(db: Db, priceVersionId: number, price: (event: RepriceInput) => RepriceOutput): RepriceResult {
  const select = db.prepare(`
    SELECT e.id, e.occurred_at, e.input_tokens, e.output_tokens, e.reasoning_tokens, e.cache_write_5m_tokens,
           e.cache_write_1h_tokens, e.cache_read_tokens, e.cost_nanos, e.unpriced, e.price_version_id, m.name, m.provider, e.service_tier
    FROM events e JOIN models m ON m.id = e.model_id
    WHERE e.id > ? ORDER BY e.id LIMIT ${BATCH}`);
  const updateCost = db.prepare('UPDATE events SET cost_nanos = ?, unpriced = ?, price_version_id = ? WHERE id = ?');
  const updateVersion = db.prepare('UPDATE events SET price_version_id = ? WHERE id = ?');
  const result: RepriceResult = { events: 0, changed: 0, stillUnpriced: 0 };
  let after = 0;
  for (;;) {
    const rows = select.all(after) as RepriceRow[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const row of rows) {
        const out = price({
          model: row.name,
          provider: row.provider,
          occurredAt: row.occurred_at,
          serviceTier: row.service_tier ?? undefined,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          reasoningTokens: row.reasoning_tokens,
          cacheWrite5mTokens: row.cache_write_5m_tokens,
          cacheWrite1hTokens: row.cache_write_1h_tokens,
          cacheReadTokens: row.cache_read_tokens,
        });
        result.events += 1;
        if (out.unpriced) result.stillUnpriced += 1;
        if (out.costNanos !== row.cost_nanos || Number(out.unpriced) !== row.unpriced) {
          updateCost.run(out.costNanos, Number(out.unpriced), priceVersionId, row.id);
          result.changed += 1;
        } else if (row.price_version_id !== priceVersionId) {
          updateVersion.run(priceVersionId, row.id);
        }
      }
    }).immediate();
    after = (rows[rows.length - 1] as RepriceRow).id;
  }
  db.prepare('DELETE FROM price_versions WHERE id <> ? AND id NOT IN (SELECT DISTINCT price_version_id FROM events)').run(priceVersionId);
  return result;
}
