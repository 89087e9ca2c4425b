import { readFetchedPrices, type FetchedPrices } from './fetched-prices.js';
import { catalogVersion } from './genai-version.js';

/**
 * Where catalog prices come from: the snapshot built in, or the data `prices update` fetched into
 * `dir`. Fetched data is used while the built-in catalog is the one it was fetched over; after an
 * upgrade of tokenledger the newer built-in snapshot applies until the next `prices update`.
 */
export type PriceSource = { kind: 'builtin' } | { kind: 'fetched'; dir: string; fetched: FetchedPrices };

export const BUILTIN_PRICES: PriceSource = { kind: 'builtin' };

/** The source in force for the price data folder `dir` (a small file read; nothing is fetched). */
export function choosePriceSource(dir: string): PriceSource {
  const fetched = readFetchedPrices(dir);
  return fetched !== undefined && fetched.builtinVersion === catalogVersion() ? { kind: 'fetched', dir, fetched } : BUILTIN_PRICES;
}

/** The catalog part of a price version label: `genai-prices 0.1.8` or `genai-prices data 2026-05-02 3f9a1c2b0d4e`. */
export function priceSourceLabel(source: PriceSource): string {
  return source.kind === 'builtin' ? `genai-prices ${catalogVersion()}` : `genai-prices data ${source.fetched.version}`;
}
