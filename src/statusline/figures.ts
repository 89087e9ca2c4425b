import { activeOutlook, readBlocks } from '../analytics/blocks.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { LedgerReader } from '../ledger/ledger.js';
import type { StatusFigures } from './fields.js';

const BLOCK_MS = 5 * 3_600_000;

/**
 * The ledger's figures for one status line, and nothing more: the session's spend, today's, and the
 * provider's active block (read from an anchor, never the whole history).
 */
export async function readStatusFigures(
  reader: Pick<LedgerReader, 'usage' | 'spend'>,
  q: { namespace: string; now: number; clock: ZoneClock; sessionId: string | undefined; provider: string },
): Promise<StatusFigures> {
  const todayStart = q.clock.startOfLocalDay(q.clock.localDay(q.now));
  const [session, today, blocks] = await Promise.all([
    q.sessionId === undefined ? undefined : reader.spend({ namespace: q.namespace, scope: { kind: 'session', value: q.sessionId } }),
    reader.spend({ namespace: q.namespace, scope: { kind: 'global' }, since: todayStart, until: q.now + 1 }),
    readBlocks(reader, { namespace: q.namespace, providers: [q.provider] }, BLOCK_MS, q.now, q.now),
  ]);
  return {
    now: q.now,
    sessionCostNanos: session === undefined || session.sessions === 0 ? undefined : session.costNanos,
    todayCostNanos: today.costNanos,
    block: activeOutlook(blocks, q.now),
  };
}
