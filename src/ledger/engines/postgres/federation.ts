import type { FederationResult, FederationSpend, PeerSpend } from '../../ledger.js';
import type { Queryable } from './sql.js';

/**
 * Stores federated peers' spend in one statement: a task is kept once per peer, a larger report
 * of it (running totals) raises it. Each report is classed as inserted, raised or a duplicate.
 */
export async function recordFederation(db: Queryable, spends: readonly FederationSpend[]): Promise<FederationResult> {
  const result: FederationResult = { inserted: 0, updated: 0, duplicates: 0 };
  // Reports are applied one by one (a later report of a task in the same call sees the earlier one).
  for (const s of spends) {
    const rows = await db.query<{ inserted: boolean }>(
      `INSERT INTO federation_spend AS f (namespace, peer_id, task_id, tokens_used, usd_nanos, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (namespace, peer_id, task_id) DO UPDATE SET tokens_used = excluded.tokens_used, usd_nanos = excluded.usd_nanos, occurred_at = excluded.occurred_at
       WHERE f.usd_nanos < excluded.usd_nanos OR (f.usd_nanos = excluded.usd_nanos AND f.tokens_used < excluded.tokens_used)
       RETURNING (xmax = 0) AS inserted`,
      [s.namespace, s.peerId, s.taskId, s.tokensUsed, s.usdNanos, s.occurredAt],
    );
    const row = rows.rows[0];
    if (row === undefined) result.duplicates += 1;
    else if (row.inserted) result.inserted += 1;
    else result.updated += 1;
  }
  return result;
}

export async function peerSpend(db: Queryable, namespace: string, since: number, until: number): Promise<PeerSpend[]> {
  const rows = await db.query<PeerSpend>(
    `SELECT peer_id AS "peerId", count(*) AS tasks, sum(tokens_used) AS "tokensUsed", sum(usd_nanos) AS "usdNanos", max(occurred_at) AS "lastAt"
     FROM federation_spend WHERE namespace = $1 AND occurred_at >= $2 AND occurred_at < $3
     GROUP BY peer_id ORDER BY "usdNanos" DESC, peer_id COLLATE "C"`,
    [namespace, since, until],
  );
  return rows.rows;
}
