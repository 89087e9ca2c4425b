/**
 * Recommendations for spending less, each with what it would have saved over the period, measured on
 * the user's own requests (usage summed by session, model and prompt band) at today's prices, which
 * are passed in as functions. Every saving answers "what would the same tokens have cost instead":
 *
 * - `downgrade`: a session's use of an Opus or Sonnet model whose requests averaged fewer than
 *   `smallOutputTokens` output tokens (mean = output tokens / requests, strictly below) is re-priced,
 *   band by band, on the current model one tier down (Opus → Sonnet, Sonnet → Haiku). saving =
 *   recorded cost − re-priced cost; uses that would not have been cheaper are left out.
 * - `cache-hit-ratio`: ratio = cache reads / (uncached input + cache writes + cache reads), over
 *   tokens, per model and overall. For each model below `cacheHitLevel` (80%), saving = its uncached
 *   input priced at the input rate − the same tokens at the cache-read rate: an upper bound, since
 *   some input (the newest turn) can never come from a cache. Listed with a zero saving when no
 *   model is below the level, so the ratio is always shown.
 * - `cache-1h`: saving = one-hour cache writes − the same tokens written for five minutes.
 * - `long-context`: requests whose prompt passed their model's long-context threshold; saving = the
 *   same tokens at the band's tier rates − at the model's base rates.
 * - `service-tier`: requests served in fast mode (or another tier dearer than standard); saving =
 *   their recorded cost − the same requests at standard rates (tier-premium.ts).
 *
 * A recommendation with nothing to save is left out (except the cache hit ratio). Savings overlap
 * (a downgraded request would also have cached differently), so they are not added up. Requests
 * whose model had no price have no recorded cost to compare and are left out of every figure.
 */
import { groupDigits } from '../core/money.js';
import { emptyTokens, promptTokens, type TokenCounts } from '../core/usage-event.js';
import { sessionKey, type UsageRow } from '../ledger/ledger.js';
import type { PriceBand } from './band-price.js';
import { tierPremiumSummary, type TierPremium } from './tier-premium.js';
import { tierOf } from './tier.js';

export const DEFAULT_SMALL_OUTPUT_TOKENS = 500;
export const DEFAULT_CACHE_HIT_LEVEL = 0.8;
/** Sessions named in the downgrade's evidence. */
export const TOP_SESSIONS = 5;
/** The tier one step down, by `tierOf`. */
export const DOWNGRADES: Readonly<Record<string, string>> = { opus: 'sonnet', sonnet: 'haiku' };

export interface ModelRef {
  model: string;
  provider?: string;
}

export interface OptimizeInput {
  /** Usage of the period summed by session, model and prompt band. */
  rows: readonly UsageRow[];
  /** Today's price of a row's tokens on a model, long-context tiers applied by the row's band. */
  price: PriceBand;
  /** The same at the model's base rates, as if it had no long-context tier. */
  basePrice: PriceBand;
  /** The current model of a tier (`sonnet`, `haiku`), undefined when there is none. */
  currentModel(tier: string): ModelRef | undefined;
  smallOutputTokens?: number;
  cacheHitLevel?: number;
  /** What fast mode and other dearer service tiers cost over standard (tier-premium.ts). */
  tierPremiums?: readonly TierPremium[];
}

export interface DowngradeUse {
  agent: string;
  sessionId: string;
  model: string;
  targetModel: string;
  requests: number;
  meanOutputTokens: number;
  recordedNanos: number;
  repricedNanos: number;
  savingsNanos: number;
}

export interface ModelShare {
  model: string;
  [figure: string]: string | number;
}

interface Common {
  title: string;
  /** What was measured, and its caveats. */
  detail: string;
  /** What to do, in a few words. */
  action: string;
  savingsNanos: number;
}

export type Recommendation = Common &
  (
    | {
        id: 'downgrade';
        evidence: { smallOutputTokens: number; sessions: number; requests: number; recordedNanos: number; repricedNanos: number; exact: boolean; byModel: ModelShare[]; topSessions: DowngradeUse[] };
      }
    | { id: 'cache-hit-ratio'; evidence: { level: number; ratio: number; promptTokens: number; cacheReadTokens: number; byModel: ModelShare[] } }
    | { id: 'cache-1h'; evidence: { cacheWrite1hTokens: number; cacheWrite5mTokens: number; write1hNanos: number; writeNanos: number; share1h: number; byModel: ModelShare[] } }
    | {
        id: 'long-context';
        evidence: { requests: number; sessions: number; aboveTokens: number; recordedNanos: number; tierPriceNanos: number; basePriceNanos: number; exact: boolean; byModel: ModelShare[] };
      }
    | { id: 'service-tier'; evidence: { requests: number; recordedNanos: number; standardNanos: number; byModel: TierPremium[] } }
  );

const ORDER = ['downgrade', 'cache-hit-ratio', 'cache-1h', 'long-context', 'service-tier'];

/** The recommendations of a period, largest saving first. */
export function recommendations(input: OptimizeInput): Recommendation[] {
  const priced = input.rows.filter((r) => r.unpricedEvents === 0 && r.model !== undefined);
  const found = [downgrade(priced, input), cacheHitRatio(priced, input), cache1h(priced, input.price), longContext(priced, input), serviceTier(input.tierPremiums ?? [])];
  return found.filter((r): r is Recommendation => r !== undefined).sort((a, b) => b.savingsNanos - a.savingsNanos || ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
}

/** A row's model, priced with only `tokens` (its band kept). */
function priceOnly(price: PriceBand, row: UsageRow, tokens: Partial<TokenCounts>, model = row.model as string, provider = row.provider) {
  return price(model, provider, { ...row, ...emptyTokens(), ...tokens });
}

const plural = (n: number, word: string): string => `${groupDigits(String(n))} ${word}${n === 1 ? '' : 's'}`;
const pct = (ratio: number): string => `${Math.round(ratio * 100)}%`;

function downgrade(rows: readonly UsageRow[], input: OptimizeInput): Recommendation | undefined {
  const small = input.smallOutputTokens ?? DEFAULT_SMALL_OUTPUT_TOKENS;
  const targets = new Map<string, ModelRef | undefined>();
  const uses = new Map<string, DowngradeUse & { outputTokens: number; priced: boolean; exact: boolean }>();
  for (const row of rows) {
    const model = row.model as string;
    const tier = DOWNGRADES[tierOf(model)];
    if (tier === undefined) continue;
    if (!targets.has(tier)) targets.set(tier, input.currentModel(tier));
    const target = targets.get(tier);
    if (target === undefined) continue;
    const key = `${sessionKey(row.agent ?? '', row.sessionId ?? '')}\0${model}`;
    let use = uses.get(key);
    if (use === undefined) {
      use = {
        agent: row.agent ?? '',
        sessionId: row.sessionId ?? '',
        model,
        targetModel: target.model,
        requests: 0,
        meanOutputTokens: 0,
        outputTokens: 0,
        recordedNanos: 0,
        repricedNanos: 0,
        savingsNanos: 0,
        priced: true,
        exact: true,
      };
      uses.set(key, use);
    }
    const repriced = input.price(target.model, target.provider, row);
    use.requests += row.events;
    use.outputTokens += row.outputTokens;
    use.recordedNanos += row.costNanos;
    if (repriced === undefined) use.priced = false;
    else {
      use.repricedNanos += repriced.costNanos;
      use.exact &&= repriced.exact;
    }
  }
  const flagged = [...uses.values()]
    .filter((u) => u.priced && u.requests > 0 && u.outputTokens < small * u.requests && u.recordedNanos > u.repricedNanos)
    .map((u) => ({ ...u, meanOutputTokens: u.outputTokens / u.requests, savingsNanos: u.recordedNanos - u.repricedNanos }))
    .sort((a, b) => b.savingsNanos - a.savingsNanos || a.agent.localeCompare(b.agent) || a.sessionId.localeCompare(b.sessionId) || a.model.localeCompare(b.model));
  if (flagged.length === 0) return undefined;
  const byModel = new Map<string, ModelShare & { sessions: number; requests: number; savingsNanos: number }>();
  for (const u of flagged) {
    const share = byModel.get(u.model) ?? { model: u.model, targetModel: u.targetModel, sessions: 0, requests: 0, savingsNanos: 0 };
    share.sessions += 1;
    share.requests += u.requests;
    share.savingsNanos += u.savingsNanos;
    byModel.set(u.model, share);
  }
  const sum = (f: (u: (typeof flagged)[number]) => number): number => flagged.reduce((s, u) => s + f(u), 0);
  const sessions = new Set(flagged.map((u) => sessionKey(u.agent, u.sessionId))).size;
  const requests = sum((u) => u.requests);
  const moves = [...new Set(flagged.map((u) => `${tierOf(u.model)} → ${u.targetModel}`))].sort();
  return {
    id: 'downgrade',
    title: `Cheaper model for small outputs: ${plural(sessions, 'session')}`,
    detail:
      `${plural(requests, 'request')} in ${plural(sessions, 'session')} averaged under ${groupDigits(String(small))} output tokens per request on a model ` +
      `with a cheaper tier below it (${moves.join(', ')}); the saving is what the same tokens would have cost on the cheaper model, ` +
      'assuming it needed no more of them.',
    action: 'move such work to the cheaper model',
    savingsNanos: sum((u) => u.savingsNanos),
    evidence: {
      smallOutputTokens: small,
      sessions,
      requests,
      recordedNanos: sum((u) => u.recordedNanos),
      repricedNanos: sum((u) => u.repricedNanos),
      exact: flagged.every((u) => u.exact),
      byModel: [...byModel.values()].sort((a, b) => b.savingsNanos - a.savingsNanos || a.model.localeCompare(b.model)),
      topSessions: flagged.slice(0, TOP_SESSIONS).map(({ agent, sessionId, model, targetModel, requests, meanOutputTokens, recordedNanos, repricedNanos, savingsNanos }) => ({
        agent,
        sessionId,
        model,
        targetModel,
        requests,
        meanOutputTokens,
        recordedNanos,
        repricedNanos,
        savingsNanos,
      })),
    },
  };
}

function cacheHitRatio(rows: readonly UsageRow[], input: OptimizeInput): Recommendation | undefined {
  const level = input.cacheHitLevel ?? DEFAULT_CACHE_HIT_LEVEL;
  const models = new Map<string, { model: string; promptTokens: number; cacheReadTokens: number; savingsNanos: number }>();
  for (const row of rows) {
    const model = row.model as string;
    const m = models.get(model) ?? { model, promptTokens: 0, cacheReadTokens: 0, savingsNanos: 0 };
    m.promptTokens += promptTokens(row);
    m.cacheReadTokens += row.cacheReadTokens;
    models.set(model, m);
  }
  const below = new Set([...models.values()].filter((m) => m.promptTokens > 0 && m.cacheReadTokens < level * m.promptTokens).map((m) => m.model));
  for (const row of rows) {
    const m = models.get(row.model as string);
    if (m === undefined || !below.has(m.model) || row.inputTokens === 0) continue;
    const asInput = priceOnly(input.price, row, { inputTokens: row.inputTokens });
    const asRead = priceOnly(input.price, row, { cacheReadTokens: row.inputTokens });
    if (asInput !== undefined && asRead !== undefined) m.savingsNanos += Math.max(0, asInput.costNanos - asRead.costNanos);
  }
  const prompt = [...models.values()].reduce((s, m) => s + m.promptTokens, 0);
  if (prompt === 0) return undefined;
  const reads = [...models.values()].reduce((s, m) => s + m.cacheReadTokens, 0);
  const ratio = reads / prompt;
  const byModel = [...models.values()]
    .filter((m) => m.promptTokens > 0)
    .map((m) => ({ ...m, ratio: m.cacheReadTokens / m.promptTokens }))
    .sort((a, b) => b.savingsNanos - a.savingsNanos || a.ratio - b.ratio || a.model.localeCompare(b.model));
  const low = byModel.filter((m) => below.has(m.model));
  const common = { level, ratio, promptTokens: prompt, cacheReadTokens: reads, byModel };
  if (low.length === 0) {
    return {
      id: 'cache-hit-ratio',
      title: `Cache hit ratio ${pct(ratio)}: nothing to gain`,
      detail: `Cache reads were ${pct(ratio)} of ${plural(prompt, 'prompt token')}, every model at or above ${pct(level)}.`,
      action: 'nothing to do',
      savingsNanos: 0,
      evidence: common,
    };
  }
  return {
    id: 'cache-hit-ratio',
    title: `Cache hit ratio ${pct(ratio)}; ${plural(low.length, 'model')} below ${pct(level)}`,
    detail:
      `Cache reads were ${pct(ratio)} of ${plural(prompt, 'prompt token')}; below ${pct(level)}: ${low.map((m) => `${m.model} ${pct(m.ratio)}`).join(', ')}. Keep the start of prompts stable (system prompt, tools, earlier turns; ` +
      `no model switches mid-session) so it is read from cache. The saving is an upper bound: the uncached input of the models below ` +
      `${pct(level)} priced as cache reads instead, though the newest part of a prompt can never come from a cache.`,
    action: 'keep prompt prefixes stable so they are read from cache',
    savingsNanos: low.reduce((s, m) => s + m.savingsNanos, 0),
    evidence: common,
  };
}

function cache1h(rows: readonly UsageRow[], price: PriceBand): Recommendation | undefined {
  let tokens1h = 0;
  let tokens5m = 0;
  let write1hNanos = 0;
  let writeNanos = 0;
  let premium = 0;
  const models = new Map<string, { model: string; cacheWrite1hTokens: number; savingsNanos: number }>();
  for (const row of rows) {
    if (row.cacheWrite1hTokens + row.cacheWrite5mTokens === 0) continue;
    const writes = priceOnly(price, row, { cacheWrite5mTokens: row.cacheWrite5mTokens, cacheWrite1hTokens: row.cacheWrite1hTokens });
    const oneHour = priceOnly(price, row, { cacheWrite1hTokens: row.cacheWrite1hTokens });
    const asFiveMinutes = priceOnly(price, row, { cacheWrite5mTokens: row.cacheWrite1hTokens });
    if (writes === undefined || oneHour === undefined || asFiveMinutes === undefined) continue;
    tokens1h += row.cacheWrite1hTokens;
    tokens5m += row.cacheWrite5mTokens;
    writeNanos += writes.costNanos;
    write1hNanos += oneHour.costNanos;
    const extra = oneHour.costNanos - asFiveMinutes.costNanos;
    premium += extra;
    if (row.cacheWrite1hTokens === 0) continue;
    const m = models.get(row.model as string) ?? { model: row.model as string, cacheWrite1hTokens: 0, savingsNanos: 0 };
    m.cacheWrite1hTokens += row.cacheWrite1hTokens;
    m.savingsNanos += extra;
    models.set(m.model, m);
  }
  if (premium <= 0) return undefined;
  const share1h = write1hNanos / writeNanos;
  return {
    id: 'cache-1h',
    title: `One-hour cache writes: ${pct(share1h)} of write spend`,
    detail:
      `${plural(tokens1h, 'token')} were written to the one-hour cache, which costs more per token than the five-minute cache; the saving is that ` +
      'premium over five-minute writes of the same tokens. One-hour writes pay off only when a prompt is read again more than five minutes after it ' +
      'was written (long pauses between turns); the ledger cannot see how often that happened.',
    action: 'write five-minute caches unless turns pause longer',
    savingsNanos: premium,
    evidence: {
      cacheWrite1hTokens: tokens1h,
      cacheWrite5mTokens: tokens5m,
      write1hNanos,
      writeNanos,
      share1h,
      byModel: [...models.values()].sort((a, b) => b.savingsNanos - a.savingsNanos || a.model.localeCompare(b.model)),
    },
  };
}

function serviceTier(premiums: readonly TierPremium[]): Recommendation | undefined {
  const summary = tierPremiumSummary(premiums);
  return summary === undefined ? undefined : { id: 'service-tier', ...summary, action: 'use fast mode only where latency matters' };
}

function longContext(rows: readonly UsageRow[], input: OptimizeInput): Recommendation | undefined {
  const e = { requests: 0, sessions: 0, aboveTokens: Number.POSITIVE_INFINITY, recordedNanos: 0, tierPriceNanos: 0, basePriceNanos: 0, exact: true };
  const sessions = new Set<string>();
  const models = new Map<string, { model: string; aboveTokens: number; requests: number; savingsNanos: number }>();
  for (const row of rows) {
    const model = row.model as string;
    const tier = input.price(model, row.provider, row);
    const base = input.basePrice(model, row.provider, row);
    if (tier === undefined || base === undefined || tier.costNanos <= base.costNanos) continue;
    const above = row.promptAbove ?? 0;
    e.requests += row.events;
    e.aboveTokens = Math.min(e.aboveTokens, above);
    e.recordedNanos += row.costNanos;
    e.tierPriceNanos += tier.costNanos;
    e.basePriceNanos += base.costNanos;
    e.exact &&= tier.exact;
    sessions.add(sessionKey(row.agent ?? '', row.sessionId ?? ''));
    const m = models.get(model) ?? { model, aboveTokens: above, requests: 0, savingsNanos: 0 };
    m.aboveTokens = Math.min(m.aboveTokens, above);
    m.requests += row.events;
    m.savingsNanos += tier.costNanos - base.costNanos;
    models.set(model, m);
  }
  if (e.requests === 0) return undefined;
  e.sessions = sessions.size;
  return {
    id: 'long-context',
    title: `Long context: ${plural(e.requests, 'request')} above ${groupDigits(String(e.aboveTokens))} tokens`,
    detail:
      `${plural(e.requests, 'request')} in ${plural(e.sessions, 'session')} passed their model's long-context threshold, which bills the whole request at ` +
      'higher rates; the saving is the same tokens at the base rates. Compact or clear the context before it grows that far (/compact, /clear, a ' +
      'new session per task).',
    action: 'compact or clear the context earlier',
    savingsNanos: e.tierPriceNanos - e.basePriceNanos,
    evidence: { ...e, byModel: [...models.values()].sort((a, b) => b.savingsNanos - a.savingsNanos || a.model.localeCompare(b.model)) },
  };
}
