import { picosPerTokenToUsdPerMTok } from '../core/money.js';
import { compilePeriod, periodIndex } from './catalog.js';
import type { CatalogModelInfo, CatalogProvider } from './catalog-data.js';
import { RATE_KEYS, type Rates } from './model-price.js';

/** One model whose prices in force differ: its rates before and after, USD per million tokens. */
export interface PriceChange {
  model: string;
  before: Partial<Record<keyof Rates, number>>;
  after: Partial<Record<keyof Rates, number>>;
}

/** What new price data changes, models named `provider/id`. */
export interface CatalogChanges {
  added: string[];
  removed: string[];
  changed: PriceChange[];
}

/** Compares two catalogs: models added and removed, and models whose base rates in force at `at` differ. */
export function catalogChanges(before: readonly CatalogProvider[], after: readonly CatalogProvider[], at: number): CatalogChanges {
  const index = (providers: readonly CatalogProvider[]): Map<string, { provider: CatalogProvider; model: CatalogModelInfo }> =>
    new Map(providers.flatMap((provider) => provider.models.map((model) => [`${provider.id}/${model.id}`, { provider, model }] as const)));
  const old = index(before);
  const now = index(after);
  const changes: CatalogChanges = { added: [], removed: [], changed: [] };
  for (const name of now.keys()) if (!old.has(name)) changes.added.push(name);
  for (const name of old.keys()) if (!now.has(name)) changes.removed.push(name);
  for (const [name, next] of now) {
    const prior = old.get(name);
    if (prior === undefined) continue;
    const a = compilePeriod(prior, periodIndex(prior.model, at), '')?.base;
    const b = compilePeriod(next, periodIndex(next.model, at), '')?.base;
    const keys = RATE_KEYS.filter((k) => a?.[k] !== b?.[k]);
    if (keys.length === 0) continue;
    const pick = (rates: Rates | undefined): PriceChange['before'] => Object.fromEntries(rates === undefined ? [] : keys.map((k) => [k, picosPerTokenToUsdPerMTok(rates[k])]));
    changes.changed.push({ model: name, before: pick(a), after: pick(b) });
  }
  changes.added.sort();
  changes.removed.sort();
  changes.changed.sort((x, y) => (x.model < y.model ? -1 : 1));
  return changes;
}
