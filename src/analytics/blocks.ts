/**
 * Usage blocks: the stretches of a few hours (5 by default) that subscription plans meter usage in.
 *
 * Rules:
 * - A block starts at the first activity after the previous block ended, floored to the whole hour
 *   (UTC), but never before the previous block's end; it lasts `sessionLengthMs`. Activity at or after
 *   its end starts the next block. Stretches between blocks without activity are gaps.
 * - Activity is known to the quarter hour (the ledger's grain): a block's first activity is the start
 *   of its first quarter hour with a request, its last activity the end of its last one (never later
 *   than now). Block boundaries fall on quarter hours, so a block's sums are exact.
 * - The active block is the one that started at or before now and ends after now (its activity is
 *   then necessarily within the last block length).
 * - Burn rate of the active block: its tokens and cost divided by the time from its first activity to
 *   now (at least a minute). The projection adds that rate over the time left until the block ends.
 * - A token limit of `max` is the largest token total of any earlier (not active) block.
 */
import { billedTokens } from '../core/usage-event.js';
import { GRAIN_MS, type LedgerReader, type UsageFilter, type UsageTotals } from '../ledger/ledger.js';
import { addTotals, emptyTotals } from './totals.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Usage of one quarter hour (and model): `usage(filter, ['bucket', 'model'])` rows. */
export interface BlockInputRow extends UsageTotals {
  bucketStart?: number;
  model?: string;
}

export interface UsageBlock {
  /** UTC epoch ms; `end` exclusive. */
  start: number;
  end: number;
  firstActivity: number;
  lastActivity: number;
  totals: UsageTotals;
  /** Billed tokens: input, output, cache writes and reads (reasoning is part of output). */
  tokens: number;
  models: string[];
  active: boolean;
}

export interface BlockGap {
  start: number;
  end: number;
}

export type TimelineEntry = ({ kind: 'block' } & UsageBlock) | ({ kind: 'gap' } & BlockGap);

export interface BurnRate {
  tokensPerMinute: number;
  costNanosPerHour: number;
  /** The stretch the rate was measured over: first activity to now. */
  elapsedMs: number;
}

export interface BlockProjection {
  tokens: number;
  costNanos: number;
  remainingMs: number;
}

/** Blocks of the rows' usage, oldest first; `notBefore`: where the block before the rows ended. */
export function buildBlocks(rows: readonly BlockInputRow[], sessionLengthMs: number, now: number, notBefore = Number.NEGATIVE_INFINITY): UsageBlock[] {
  const sorted = rows.filter((r) => r.bucketStart !== undefined && r.events > 0).sort((a, b) => (a.bucketStart as number) - (b.bucketStart as number));
  const blocks: UsageBlock[] = [];
  const models: Set<string>[] = [];
  let current: UsageBlock | undefined;
  for (const row of sorted) {
    const at = row.bucketStart as number;
    if (current === undefined || at >= current.end) {
      const start = Math.max(Math.floor(at / HOUR_MS) * HOUR_MS, current?.end ?? notBefore);
      current = { start, end: start + sessionLengthMs, firstActivity: at, lastActivity: at, totals: emptyTotals(), tokens: 0, models: [], active: false };
      blocks.push(current);
      models.push(new Set());
    }
    addTotals(current.totals, row);
    current.lastActivity = Math.max(current.lastActivity, Math.max(at, Math.min(at + GRAIN_MS, now)));
    if (row.model !== undefined) models[models.length - 1]?.add(row.model);
  }
  blocks.forEach((block, i) => {
    block.tokens = billedTokens(block.totals);
    block.models = [...(models[i] ?? [])].sort();
    block.active = block.start <= now && now < block.end;
  });
  return blocks;
}

/** Blocks with the idle stretches between them. */
export function timeline(blocks: readonly UsageBlock[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  blocks.forEach((block, i) => {
    const previous = blocks[i - 1];
    if (previous !== undefined && block.start > previous.end) out.push({ kind: 'gap', start: previous.end, end: block.start });
    out.push({ kind: 'block', ...block });
  });
  return out;
}

/** Blocks that started within `windowMs` before now, and the active one. */
export function recentBlocks(blocks: readonly UsageBlock[], now: number, windowMs: number): UsageBlock[] {
  return blocks.filter((b) => b.active || b.start >= now - windowMs);
}

export function activeBlock(blocks: readonly UsageBlock[]): UsageBlock | undefined {
  return blocks.find((b) => b.active);
}

/** Tokens and cost per time over the block so far (from its first activity to now, at least a minute). */
export function burnRate(block: UsageBlock, now: number): BurnRate {
  const elapsedMs = Math.max(MINUTE_MS, now - block.firstActivity);
  return {
    tokensPerMinute: block.tokens / (elapsedMs / MINUTE_MS),
    costNanosPerHour: block.totals.costNanos / (elapsedMs / HOUR_MS),
    elapsedMs,
  };
}

/** Where the block ends up if the burn rate holds until its end. */
export function projectBlock(block: UsageBlock, rate: BurnRate, now: number): BlockProjection {
  const remainingMs = Math.max(0, block.end - now);
  return {
    tokens: Math.round(block.tokens + rate.tokensPerMinute * (remainingMs / MINUTE_MS)),
    costNanos: Math.round(block.totals.costNanos + rate.costNanosPerHour * (remainingMs / HOUR_MS)),
    remainingMs,
  };
}

/** The active block with its burn rate and projection. */
export interface ActiveOutlook {
  block: UsageBlock;
  rate: BurnRate;
  projection: BlockProjection;
}

/** The outlook of the active block; undefined when no block is active. */
export function activeOutlook(blocks: readonly UsageBlock[], now: number): ActiveOutlook | undefined {
  const block = activeBlock(blocks);
  if (block === undefined) return undefined;
  const rate = burnRate(block, now);
  return { block, rate, projection: projectBlock(block, rate, now) };
}

/** The largest token total of an earlier (not active) block; undefined without one. */
export function maxEarlierTokens(blocks: readonly UsageBlock[]): number | undefined {
  const earlier = blocks.filter((b) => !b.active).map((b) => b.tokens);
  return earlier.length === 0 ? undefined : Math.max(...earlier);
}

/** Percent of `limit` that `tokens` is; null without a (positive) limit. */
export function limitPct(tokens: number, limit: number | undefined): number | null {
  return limit === undefined || limit <= 0 ? null : (tokens / limit) * 100;
}

/**
 * A cut in the usage where block boundaries stop depending on what came before: the latest instant
 * `c` at or before `keepFrom` (`keepFrom` itself or a quarter hour with usage) with no usage in
 * (hour of c − block length, c): every block before it has ended by the hour `c` falls in. Rows
 * must cover everything from `loadedFrom` on; undefined when no cut is found there.
 */
export function blockAnchor(rows: readonly BlockInputRow[], keepFrom: number, sessionLengthMs: number, loadedFrom: number): number | undefined {
  const starts = [...new Set(rows.filter((r) => r.bucketStart !== undefined && r.events > 0).map((r) => r.bucketStart as number))].sort((a, b) => a - b);
  const candidates = [keepFrom, ...starts.filter((s) => s < keepFrom).reverse()];
  for (const cut of candidates) {
    const quietFrom = Math.floor(cut / HOUR_MS) * HOUR_MS - sessionLengthMs;
    if (quietFrom < loadedFrom) return undefined;
    if (!starts.some((s) => s > quietFrom && s < cut)) return cut;
  }
  return undefined;
}

/** How far back `readBlocks` looks for an anchor before it reads the whole history. */
export const ANCHOR_LOOKBACK_MS = 2 * 24 * HOUR_MS;

/**
 * The blocks of the ledger's usage. Earlier blocks decide where later ones start, so this reads all
 * of it, unless `keepFrom` says only the blocks that start from then on (and the active one) are
 * wanted: then it reads from an anchor before it (`blockAnchor`) on, and gives exactly the blocks
 * the whole history gives from the anchor on (without an anchor, from the block before the one
 * holding `keepFrom`).
 */
export async function readBlocks(reader: Pick<LedgerReader, 'usage'>, filter: UsageFilter, sessionLengthMs: number, now: number, keepFrom?: number): Promise<UsageBlock[]> {
  const { since: _since, until: _until, ...all } = filter;
  if (keepFrom !== undefined) {
    const loadedFrom = Math.floor((keepFrom - ANCHOR_LOOKBACK_MS - sessionLengthMs) / HOUR_MS) * HOUR_MS;
    const rows = await reader.usage({ ...all, since: loadedFrom }, ['bucket', 'model']);
    const anchor = blockAnchor(rows, Math.floor(keepFrom / GRAIN_MS) * GRAIN_MS, sessionLengthMs, loadedFrom);
    if (anchor !== undefined)
      return buildBlocks(
        rows.filter((r) => (r.bucketStart as number) >= anchor),
        sessionLengthMs,
        now,
      );
    // No pause to cut at: place every block by when usage happened (a sum per quarter hour, a small
    // read), then read models and sums only from the block before the one that holds `keepFrom` on
    // (so the blocks given always carry where the one before the last ended).
    const placed = buildBlocks(await reader.usage(all, ['bucket']), sessionLengthMs, now);
    const holding = placed.findIndex((b) => b.end > keepFrom);
    const from = Math.max(0, (holding === -1 ? placed.length : holding) - 1);
    if (from >= placed.length) return [];
    const notBefore = from === 0 ? Number.NEGATIVE_INFINITY : (placed[from - 1] as UsageBlock).end;
    return buildBlocks(await reader.usage({ ...all, since: (placed[from] as UsageBlock).start }, ['bucket', 'model']), sessionLengthMs, now, notBefore);
  }
  return buildBlocks(await reader.usage(all, ['bucket', 'model']), sessionLengthMs, now);
}
