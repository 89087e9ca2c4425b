import { buildBlocks } from '../analytics/blocks.js';
import { byProvider, readProviderBlocks, type ProviderBlocks } from '../analytics/provider-blocks.js';
import type { LedgerReader, UsageFilter } from '../ledger/ledger.js';

interface Cut {
  /** Start of the provider's last block, and where the block before it ended. */
  from: number;
  notBefore: number;
}

/**
 * Each provider's blocks up to now, read anew every refresh without reading the whole history every
 * second. A read of the whole history (or from an anchor, `readProviderBlocks`) is remembered as a
 * cut per provider: the start of its last block and where the block before that ended. Until
 * `fullEveryMs` has passed, later reads need only the usage from the earliest cut on and give the
 * same blocks; the periodic full read picks up usage recorded late with older times (an agent's log
 * read for the first time). A provider first seen between full reads had no usage for at least the
 * anchor's look-back before the last full read, so its blocks start with its new usage.
 */
export class BlockTracker {
  readonly #fullEveryMs: number;
  #cuts: { at: number; from: number; providers: Map<string, Cut> } | undefined;

  constructor(fullEveryMs = 5 * 60_000) {
    this.#fullEveryMs = fullEveryMs;
  }

  async read(reader: Pick<LedgerReader, 'usage'>, filter: UsageFilter, sessionLengthMs: number, now: number): Promise<ProviderBlocks[]> {
    const cuts = this.#cuts;
    if (cuts !== undefined && now >= cuts.at && now - cuts.at < this.#fullEveryMs) {
      const { since: _since, until: _until, ...all } = filter;
      const rows = await reader.usage({ ...all, since: cuts.from }, ['bucket', 'model']);
      return [...byProvider(rows)].map(([provider, group]) => {
        const cut = cuts.providers.get(provider);
        const mine = cut === undefined ? group : group.filter((r) => (r.bucketStart as number) >= cut.from);
        return { provider, blocks: buildBlocks(mine, sessionLengthMs, now, cut?.notBefore) };
      });
    }
    const read = await readProviderBlocks(reader, filter, sessionLengthMs, now, now);
    const providers = new Map<string, Cut>();
    for (const { provider, blocks } of read) {
      const last = blocks.at(-1);
      if (last !== undefined) providers.set(provider, { from: last.start, notBefore: blocks.at(-2)?.end ?? Number.NEGATIVE_INFINITY });
    }
    const from = Math.min(...[...providers.values()].map((c) => c.from));
    this.#cuts = providers.size === 0 ? undefined : { at: now, from, providers };
    return read;
  }
}
