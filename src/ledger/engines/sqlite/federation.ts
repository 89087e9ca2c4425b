import type { FederationResult, FederationSpend, PeerSpend } from '../../ledger.js';
import type { Db } from './open.js';

/** Spend reported by federated peers, one row per namespace, peer and task. */
export class SqliteFederation {
  readonly #db: Db;
  readonly #stmt;

  constructor(db: Db) {
    this.#db = db;
    this.#stmt = {
      insert: db.prepare('INSERT INTO federation_spend (namespace, peer_id, task_id, tokens_used, usd_nanos, occurred_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      // A running total reported again: the larger report stands.
      raise: db.prepare(`
        UPDATE federation_spend SET tokens_used = ?, usd_nanos = ?, occurred_at = ?
        WHERE namespace = ? AND peer_id = ? AND task_id = ?
          AND (usd_nanos < ? OR (usd_nanos = ? AND tokens_used < ?))`),
      peers: db.prepare(`
        SELECT peer_id AS peerId, count(*) AS tasks, sum(tokens_used) AS tokensUsed, sum(usd_nanos) AS usdNanos, max(occurred_at) AS lastAt
        FROM federation_spend WHERE namespace = ? AND occurred_at >= ? AND occurred_at < ?
        GROUP BY peer_id ORDER BY usdNanos DESC, peerId`),
    };
  }

  record(spends: readonly FederationSpend[]): FederationResult {
    return this.#db
      .transaction((): FederationResult => {
        const result: FederationResult = { inserted: 0, updated: 0, duplicates: 0 };
        for (const s of spends) {
          if (this.#stmt.insert.run(s.namespace, s.peerId, s.taskId, s.tokensUsed, s.usdNanos, s.occurredAt).changes === 1) result.inserted += 1;
          else if (this.#stmt.raise.run(s.tokensUsed, s.usdNanos, s.occurredAt, s.namespace, s.peerId, s.taskId, s.usdNanos, s.usdNanos, s.tokensUsed).changes === 1) result.updated += 1;
          else result.duplicates += 1;
        }
        return result;
      })
      .immediate();
  }

  peers(namespace: string, since: number, until: number): PeerSpend[] {
    return this.#stmt.peers.all(namespace, since, until) as PeerSpend[];
  }
}
