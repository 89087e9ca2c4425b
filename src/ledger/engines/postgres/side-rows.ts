import type { CommitBatch } from '../../ledger.js';
import type { Queryable } from './sql.js';

/** A commit's drops (filed under their file or origin) and rate-limit readings, one statement each. */
export async function writeDropsAndLimits(db: Queryable, batches: readonly { fileId: number; batch: CommitBatch }[], now: number): Promise<void> {
  const drops = batches.flatMap(({ fileId, batch }) => batch.drops.map((d) => ({ fileId, line: d.line, reason: d.reason })));
  if (drops.length > 0) {
    await db.query(
      `INSERT INTO drops (file_id, line, reason, seen_at)
       SELECT f, l, r, $4 FROM unnest($1::int8[], $2::int8[], $3::text[]) WITH ORDINALITY AS d(f, l, r, n) ORDER BY n
       ON CONFLICT DO NOTHING`,
      [drops.map((d) => d.fileId), drops.map((d) => d.line), drops.map((d) => d.reason), now],
    );
  }
  const limits = batches.flatMap(({ batch }) => batch.rateLimits);
  if (limits.length > 0) {
    await db.query(
      `INSERT INTO rate_limits (agent, session_key, occurred_at, windows, plan_type, limit_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [
        limits.map((s) => s.agent),
        limits.map((s) => s.sessionId),
        limits.map((s) => s.occurredAt),
        limits.map((s) => JSON.stringify(s.windows)),
        limits.map((s) => s.planType ?? null),
        limits.map((s) => s.limitId ?? null),
      ],
    );
  }
}
