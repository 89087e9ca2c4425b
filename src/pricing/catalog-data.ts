/**
 * The shape of the price catalog snapshot: the providers and models of `@pydantic/genai-prices`,
 * reduced to what token pricing reads. `write-catalog.ts` writes it at build time.
 */
export type MatchLogic = { and: MatchLogic[] } | { or: MatchLogic[] } | { equals: string } | { starts_with: string } | { ends_with: string } | { contains: string } | { regex: string };

export type CatalogValue = number | { base: number; tiers: { start: number; price: number }[] };
export type CatalogPrices = Record<string, CatalogValue>;

export type PriceConstraint = { type: 'start_date'; start_date: string } | { type: 'time_of_date'; start_time: string; end_time: string };

export interface CatalogPeriod {
  constraint?: PriceConstraint;
  prices: CatalogPrices;
}

export interface CatalogModelInfo {
  id: string;
  match: MatchLogic;
  prices: CatalogPrices | CatalogPeriod[];
}

export interface CatalogProvider {
  id: string;
  model_match?: MatchLogic;
  provider_match?: MatchLogic;
  fallback_model_providers?: string[];
  models: CatalogModelInfo[];
}

export interface CatalogSnapshot {
  /** Version of @pydantic/genai-prices the snapshot was taken from. */
  version: string;
  providers: CatalogProvider[];
}

/** Price keys tokenledger reads; others (images, audio, searches) are left out of the snapshot. */
export const TOKEN_PRICE_KEYS = ['input_mtok', 'output_mtok', 'cache_write_mtok', 'cache_write_5m_mtok', 'cache_write_1h_mtok', 'cache_read_mtok'] as const;
