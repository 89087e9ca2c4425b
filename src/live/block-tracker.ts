import { buildBlocks, readBlocks, type UsageBlock } from '../analytics/blocks.js';
import type { LedgerReader, UsageFilter } from '../ledger/ledger.js';

/**
 * The blocks up to now, read anew every refresh without reading the whole history every second.
 * A read of the whole history (or from an anchor, `readBlocks`) is remembered as a cut: the start
 * of its last block and where the block before that ended. Until `fullEveryMs` has passed, later
 * reads need only the usage from the cut on and give the same blocks; the periodic full read picks
 * up usage recorded late with older times (an agent's log read for the first time).
 */
export class BlockTracker {
  readonly #fullEveryMs: number;
  #cut: { from: number; notBefore: number; at: number } | undefined;

  constructor(fullEveryMs = 5 * 60_000) {
    this.#fullEveryMs = fullEveryMs;
  }

  async read(reader: Pick<LedgerReader, 'usage'>, filter: UsageFilter, sessionLengthMs: number, now: number): Promise<UsageBlock[]> {
    const cut = this.#cut;
    if (cut !== undefined && now >= cut.at && now - cut.at < this.#fullEveryMs) {
      const rows = await reader.usage({ namespace: filter.namespace, ...(filter.agents === undefined ? {} : { agents: filter.agents }), since: cut.from }, ['bucket', 'model']);
      return buildBlocks(rows, sessionLengthMs, now, cut.notBefore);
    }
    const blocks = await readBlocks(reader, filter, sessionLengthMs, now, now);
    const last = blocks.at(-1);
    this.#cut = last === undefined ? undefined : { from: last.start, notBefore: blocks.at(-2)?.end ?? Number.NEGATIVE_INFINITY, at: now };
    return blocks;
  }
}
