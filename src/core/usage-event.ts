/**
 * The one record every source produces and the ledger stores: one billed model request.
 *
 * Token buckets are disjoint, so their sum is the request's total and each bucket is priced once.
 */
export interface TokenCounts {
  /** Input tokens that were neither written to nor read from a cache. */
  inputTokens: number;
  /** All billed output tokens, reasoning included. */
  outputTokens: number;
  /** The part of `outputTokens` that was reasoning; informational, never priced twice. */
  reasoningTokens: number;
  /** Prompt-cache writes kept for five minutes. */
  cacheWrite5mTokens: number;
  /** Prompt-cache writes kept for one hour. */
  cacheWrite1hTokens: number;
  /** Prompt-cache reads. */
  cacheReadTokens: number;
}

export interface UsageEvent extends TokenCounts {
  /** Source id, e.g. `claude-code`. */
  agent: string;
  /** Pricing provider hint, e.g. `anthropic`; the price table may resolve another. */
  provider: string;
  model: string;
  sessionId: string;
  project: string;
  /** Epoch milliseconds, UTC. */
  occurredAt: number;
  /** The only identity the ledger deduplicates on. */
  dedupKey: string;
  /**
   * Events of one agent message that may be replayed under another key. When two events share a
   * `replayKey` but not a `dedupKey`, a sidechain copy is a replay and the ledger keeps one.
   */
  replayKey?: string;
  /** Written by a subagent (sidechain) rather than the main conversation. */
  sidechain?: boolean;
  /** The ledger partition the event's session belongs to (set by whoever records it). */
  namespace?: string;
  /**
   * The service tier the request was served at (`fast`, `flex`, `priority`, `batch`, …; see
   * service-tier.ts); absent for standard service. The price of a tier is the pricing's concern.
   */
  serviceTier?: string;
  /**
   * Who recorded it (user, machine id), when it comes from another ledger (push, pull); absent,
   * the ledger handle that writes it stamps its own recorder.
   */
  recordedBy?: { user: string; machine: string };
  /**
   * What the provider or agent itself said the request cost (OpenRouter's `usage.cost`, an agent's
   * `cost_usd`), kept beside the ledger's own price; never used as it.
   */
  reportedCostNanos?: number;
}

/** A usage event with its price attached, as the ledger stores it. */
export interface PricedEvent extends UsageEvent {
  costNanos: number;
  /** Id of the price version (price data + overrides) this cost was computed with. */
  priceVersionId: number;
  /** True when no price was known for the model: tokens are kept, cost is 0. */
  unpriced: boolean;
  /** Set when the event's service tier has no known price for its model: it was priced at standard rates. */
  unpricedTier?: string;
}

/** A rate-limit reading an agent logged (Codex writes these), kept for later analysis. */
export interface RateLimitSnapshot {
  agent: string;
  sessionId: string;
  occurredAt: number;
  windows: RateLimitWindow[];
  planType?: string;
  /** Which allowance the reading is about, when the agent tracks several. */
  limitId?: string;
}

export interface RateLimitWindow {
  /** `primary`, `secondary`, … as the agent named it. */
  name: string;
  usedPercent: number;
  windowMinutes?: number;
  /** Epoch milliseconds when the window resets, when known. */
  resetsAt?: number;
}

/** Billed tokens: every bucket but reasoning, which is already part of output. */
export function billedTokens(t: TokenCounts): number {
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}

/** The prompt size that decides long-context tiers: uncached input + cache writes + cache reads. */
export function promptTokens(t: TokenCounts): number {
  return t.inputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}

export function emptyTokens(): TokenCounts {
  return {
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
  };
}
