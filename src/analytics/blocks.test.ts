import { describe, expect, it } from 'vitest';
import { activeBlock, blockAnchor, buildBlocks, burnRate, limitPct, maxEarlierTokens, projectBlock, recentBlocks, timeline, type BlockInputRow } from './blocks.js';
import { emptyTotals } from './totals.js';

const H = 3_600_000;
const M = 60_000;
const L = 5 * H;
const T0 = Date.UTC(2025, 9, 10, 0);

/** A quarter hour's usage: `at` is floored to its quarter hour as the ledger does. */
function row(at: number, tokens: { input?: number; output?: number; cacheRead?: number } = {}, costNanos = 1_000_000, model = 'claude-sonnet-4-5', events = 1): BlockInputRow {
  return {
    ...emptyTotals(),
    bucketStart: Math.floor(at / (15 * M)) * 15 * M,
    model,
    inputTokens: tokens.input ?? 100,
    outputTokens: tokens.output ?? 0,
    cacheReadTokens: tokens.cacheRead ?? 0,
    costNanos,
    events,
  };
}

describe('buildBlocks', () => {
  it('starts a block at the first activity floored to the hour and ends it after the session length', () => {
    const blocks = buildBlocks([row(T0 + 9 * H + 40 * M), row(T0 + 13 * H + 50 * M), row(T0 + 14 * H + 5 * M)], L, T0 + 30 * H);
    expect(blocks.map((b) => [b.start, b.end])).toEqual([
      [T0 + 9 * H, T0 + 14 * H],
      [T0 + 14 * H, T0 + 19 * H],
    ]);
    // First and last activity are known to the quarter hour: start of the first, end of the last.
    expect([blocks[0]?.firstActivity, blocks[0]?.lastActivity]).toEqual([T0 + 9 * H + 30 * M, T0 + 14 * H]);
    expect(blocks[0]?.totals.events).toBe(2);
  });

  it('puts activity exactly at the block end into a new block', () => {
    const blocks = buildBlocks([row(T0 + 9 * H), row(T0 + 14 * H)], L, T0 + 30 * H);
    expect(blocks.map((b) => b.start)).toEqual([T0 + 9 * H, T0 + 14 * H]);
  });

  it('lists idle stretches between blocks as gaps', () => {
    const blocks = buildBlocks([row(T0 + 1 * H), row(T0 + 9 * H + 20 * M), row(T0 + 14 * H + 10 * M)], L, T0 + 40 * H);
    expect(timeline(blocks).map((e) => [e.kind, (e.start - T0) / H, (e.end - T0) / H])).toEqual([
      ['block', 1, 6],
      ['gap', 6, 9],
      ['block', 9, 14],
      ['block', 14, 19],
    ]);
  });

  it('follows the session length, and never starts a block before the previous one ends', () => {
    const rows = [row(T0 + 10 * H), row(T0 + 12 * H + 40 * M)];
    expect(buildBlocks(rows, 1 * H, T0 + 40 * H).map((b) => (b.start - T0) / H)).toEqual([10, 12]);
    // 2.5 h blocks end on the half hour: the next activity at 12:40 floors to 12:00, but the block starts at 12:30.
    expect(buildBlocks(rows, 2.5 * H, T0 + 40 * H).map((b) => [(b.start - T0) / H, (b.end - T0) / H])).toEqual([
      [10, 12.5],
      [12.5, 15],
    ]);
    expect(buildBlocks(rows, 8 * H, T0 + 40 * H)).toHaveLength(1);
  });

  it('sums tokens by class and lists models, whatever order the rows come in', () => {
    const blocks = buildBlocks([row(T0 + 2 * H, { input: 10, output: 20, cacheRead: 300 }, 5, 'gpt-5'), row(T0 + H, { input: 1, output: 2 }, 7, 'claude-opus-4-1', 3)], L, T0 + 30 * H);
    expect(blocks).toHaveLength(1);
    const b = blocks[0];
    expect([b?.totals.inputTokens, b?.totals.outputTokens, b?.totals.cacheReadTokens, b?.tokens, b?.totals.costNanos, b?.totals.events]).toEqual([11, 22, 300, 333, 12, 4]);
    expect(b?.models).toEqual(['claude-opus-4-1', 'gpt-5']);
  });

  it('marks the block around now as active; an ended one is not', () => {
    const rows = [row(T0 + H), row(T0 + 10 * H)];
    const at = (now: number) => buildBlocks(rows, L, now).map((b) => b.active);
    expect(at(T0 + 12 * H)).toEqual([false, true]);
    expect(at(T0 + 15 * H - 1)).toEqual([false, true]);
    expect(at(T0 + 15 * H)).toEqual([false, false]);
    expect(activeBlock(buildBlocks(rows, L, T0 + 20 * H))).toBeUndefined();
  });

  it('never puts the last activity after now', () => {
    const now = T0 + 10 * H + 5 * M;
    expect(buildBlocks([row(T0 + 10 * H + 2 * M)], L, now)[0]?.lastActivity).toBe(now);
  });
});

describe('blockAnchor', () => {
  it('cuts where the blocks after it are those of the whole history', () => {
    // A pseudo-random history: bursts of quarter hours with pauses of up to 9 hours.
    let seed = 7;
    let checked = 0;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const lengthH of [1, 2.5, 5, 8]) {
      const rows: BlockInputRow[] = [];
      for (let at = T0; at < T0 + 20 * 24 * H; at += 15 * M + Math.floor(next() < 0.1 ? next() * 36 : 0) * 15 * M) if (next() < 0.5) rows.push(row(at));
      const now = T0 + 20 * 24 * H;
      const whole = buildBlocks(rows, lengthH * H, now);
      for (const keepFrom of [now, now - 24 * H, now - 3 * 24 * H, now - 10 * 24 * H]) {
        const loadedFrom = keepFrom - 2 * 24 * H - lengthH * H - H;
        const anchor = blockAnchor(
          rows.filter((r) => (r.bucketStart as number) >= loadedFrom),
          keepFrom,
          lengthH * H,
          loadedFrom,
        );
        if (anchor === undefined) continue;
        checked++;
        expect(anchor).toBeLessThanOrEqual(keepFrom);
        const part = buildBlocks(
          rows.filter((r) => (r.bucketStart as number) >= anchor),
          lengthH * H,
          now,
        );
        expect(part).toEqual(whole.slice(whole.length - part.length));
        // Every block that starts from keepFrom on is in the part.
        expect(part.length).toBeGreaterThanOrEqual(whole.filter((b) => b.start >= keepFrom).length);
      }
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('finds no cut in usage without pauses, and keepFrom itself after a long one', () => {
    const busy = Array.from({ length: 4 * 60 }, (_, i) => row(T0 + i * 15 * M));
    expect(blockAnchor(busy, T0 + 50 * H, L, T0)).toBeUndefined();
    expect(blockAnchor([row(T0 + H)], T0 + 20 * H, L, T0)).toBe(T0 + 20 * H);
    // Activity at 18:10 ends a quiet stretch from 11:00: the cut is its quarter hour.
    expect(blockAnchor([row(T0 + H), row(T0 + 18 * H + 10 * M)], T0 + 20 * H, L, T0)).toBe(T0 + 18 * H);
  });
});

describe('burn rate and projection', () => {
  it('measures the rate from the first activity to now and projects it to the block end', () => {
    // 9:00 block; first activity 9:00; now 11:00: 120 minutes, 60,000 tokens, $3.
    const now = T0 + 11 * H;
    const block = activeBlock(buildBlocks([row(T0 + 9 * H, { input: 40_000 }, 2e9), row(T0 + 10 * H, { output: 20_000, input: 0 }, 1e9)], L, now));
    if (block === undefined) throw new Error('no active block');
    const rate = burnRate(block, now);
    expect(rate).toEqual({ tokensPerMinute: 500, costNanosPerHour: 1.5e9, elapsedMs: 2 * H });
    // 3 hours left: +90,000 tokens, +$4.50.
    expect(projectBlock(block, rate, now)).toEqual({ tokens: 150_000, costNanos: 7.5e9, remainingMs: 3 * H });
  });

  it('measures at least a minute', () => {
    const now = T0 + 9 * H + 10_000;
    const block = buildBlocks([row(T0 + 9 * H, { input: 600 })], L, now)[0];
    if (block === undefined) throw new Error('no block');
    expect(burnRate(block, now).tokensPerMinute).toBe(600);
  });
});

describe('token limit', () => {
  it('max is the largest earlier block, never the active one', () => {
    const blocks = buildBlocks([row(T0, { input: 500 }), row(T0 + 6 * H, { input: 900 }), row(T0 + 12 * H, { input: 5_000 })], L, T0 + 13 * H);
    expect(blocks.map((b) => b.active)).toEqual([false, false, true]);
    expect(maxEarlierTokens(blocks)).toBe(900);
    expect(maxEarlierTokens(blocks.slice(2))).toBeUndefined();
    expect(limitPct(450, 900)).toBe(50);
    expect(limitPct(450, undefined)).toBeNull();
  });

  it('recent blocks are those started within the window, and the active one', () => {
    const now = T0 + 4 * 24 * H;
    const blocks = buildBlocks([row(T0), row(T0 + 2 * 24 * H), row(now - H)], L, now);
    expect(recentBlocks(blocks, now, 3 * 24 * H).map((b) => (b.start - T0) / H)).toEqual([48, 95]);
  });
});
