/**
 * Blocks per provider: each provider (Anthropic, OpenAI, Google) meters its own window, so usage of
 * one never moves the blocks of another. The rules of one provider's blocks are those of `blocks.ts`.
 */
import { GRAIN_MS, type LedgerReader, type UsageFilter, type UsageRow } from '../ledger/ledger.js';
import { ANCHOR_LOOKBACK_MS, blockAnchor, buildBlocks, readBlocks, type UsageBlock } from './blocks.js';

const HOUR_MS = 3_600_000;

export interface ProviderBlocks {
  /** As the ledger's models name it; empty for usage recorded without one. */
  provider: string;
  /** Oldest first. */
  blocks: UsageBlock[];
}

/** Rows by their model's provider, providers in name order. */
export function byProvider(rows: readonly UsageRow[]): Map<string, UsageRow[]> {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) {
    const provider = row.provider ?? '';
    let group = groups.get(provider);
    if (group === undefined) groups.set(provider, (group = []));
    group.push(row);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The blocks of each provider with usage (`filter.providers` narrows them). As `readBlocks`: all of
 * the history, unless `keepFrom` says only the blocks from then on (and the active ones) are wanted.
 * One read serves every provider; a provider without a pause to cut at is read again on its own.
 */
export async function readProviderBlocks(reader: Pick<LedgerReader, 'usage'>, filter: UsageFilter, sessionLengthMs: number, now: number, keepFrom?: number): Promise<ProviderBlocks[]> {
  const { since: _since, until: _until, ...all } = filter;
  const loadedFrom = keepFrom === undefined ? undefined : Math.floor((keepFrom - ANCHOR_LOOKBACK_MS - sessionLengthMs) / HOUR_MS) * HOUR_MS;
  const rows = await reader.usage(loadedFrom === undefined ? all : { ...all, since: loadedFrom }, ['bucket', 'model']);
  const out: ProviderBlocks[] = [];
  for (const [provider, group] of byProvider(rows)) {
    if (keepFrom === undefined || loadedFrom === undefined) {
      out.push({ provider, blocks: buildBlocks(group, sessionLengthMs, now) });
      continue;
    }
    const anchor = blockAnchor(group, Math.floor(keepFrom / GRAIN_MS) * GRAIN_MS, sessionLengthMs, loadedFrom);
    const blocks =
      anchor === undefined
        ? await readBlocks(reader, { ...all, providers: [provider] }, sessionLengthMs, now, keepFrom)
        : buildBlocks(
            group.filter((r) => (r.bucketStart as number) >= anchor),
            sessionLengthMs,
            now,
          );
    out.push({ provider, blocks });
  }
  // A provider without usage since `loadedFrom` has no block ending after `keepFrom`: left out.
  return out.filter((p) => p.blocks.length > 0);
}

const PROVIDER_LABELS: Record<string, string> = { anthropic: 'Anthropic', openai: 'OpenAI', google: 'Google' };

/** `Anthropic`, `OpenAI`, `Google`; other providers as recorded; none as `unknown provider`. */
export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider] ?? (provider === '' ? 'unknown provider' : provider);
}
