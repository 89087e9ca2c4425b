/** Integer pico-USD per token for each disjoint bucket. */
export interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export const RATE_KEYS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const satisfies readonly (keyof Rates)[];

/** A whole-request tier: when a request's prompt exceeds `aboveTokens`, all its buckets use `rates`. */
export interface Tier {
  aboveTokens: number;
  rates: Rates;
}

/** The prices of one model during one price period. */
export interface ModelPrice {
  /** The priced model as the price source names it (e.g. `claude-sonnet-4-5`). */
  pricedAs: string;
  provider: string;
  base: Rates;
  /** Ascending by `aboveTokens`. */
  tiers: Tier[];
  /** Where the figures came from, for `tokenledger prices`. */
  origin: string;
  /** Date (YYYY-MM-DD) from which these prices apply, when the source dates them. */
  validFrom?: string;
}
