import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import type { CommitCheck, CommitResult, Ledger } from '../ledger/ledger.js';

/** An event for `recordEvents`: when and what it cost, the rest defaulted. */
export type RecordedEvent = Partial<PricedEvent> & { occurredAt: number; costNanos: number };

/**
 * Records hand-made events straight through a ledger's writer (as one file `fixture://<name>`
 * would, its cursor moved past them), priced at the `costNanos` given: for tests whose expected
 * figures are worked by hand.
 */
export async function recordEvents(ledger: Ledger, events: readonly RecordedEvent[], name = 'events', checks: readonly CommitCheck[] = []): Promise<CommitResult> {
  const priceVersionId = await ledger.priceVersionId('fixture prices');
  const priced: PricedEvent[] = events.map((e, i) => ({
    ...emptyTokens(),
    agent: 'claude-code',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: 'session-1',
    project: '/home/dev/app',
    dedupKey: `${name}:${i}`,
    namespace: 'cost-tracking',
    unpriced: false,
    ...e,
    priceVersionId,
  }));
  const path = `fixture://${name}`;
  const cursor = (await ledger.cursors([path])).get(path);
  const offset = (cursor?.offset ?? 0) + priced.length;
  const to = { path, agent: 'claude-code', dev: 0, ino: 0, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: String(offset), state: null };
  return ledger.commit([{ from: cursor, to, events: priced, rateLimits: [], drops: [] }], checks);
}
