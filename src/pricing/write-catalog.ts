import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { catalogPath } from './catalog-path.js';
import { TOKEN_PRICE_KEYS, type CatalogPrices, type CatalogSnapshot } from './catalog-data.js';
import { catalogVersion } from './genai-version.js';

/**
 * Build step: snapshots the data bundled with `@pydantic/genai-prices` (its `waitForUpdate()`
 * resolves to the bundled providers when no update source is set up, and none ever is) into a
 * small JSON file that loads in a millisecond instead of importing the whole package per run.
 */
export async function writeCatalog(path = catalogPath()): Promise<CatalogSnapshot> {
  const genai = await import('@pydantic/genai-prices');
  const providers = (await genai.waitForUpdate()) ?? [];
  const keep = (prices: Record<string, unknown>): CatalogPrices => Object.fromEntries(TOKEN_PRICE_KEYS.filter((k) => prices[k] !== undefined).map((k) => [k, prices[k]])) as CatalogPrices;
  const snapshot: CatalogSnapshot = {
    version: catalogVersion(),
    providers: providers.map((p) => ({
      id: p.id,
      ...(p.model_match === undefined ? {} : { model_match: p.model_match }),
      ...(p.provider_match === undefined ? {} : { provider_match: p.provider_match }),
      ...(p.fallback_model_providers === undefined ? {} : { fallback_model_providers: p.fallback_model_providers }),
      models: p.models.map((m) => ({
        id: m.id,
        match: m.match,
        prices: Array.isArray(m.prices) ? m.prices.map((period) => ({ ...(period.constraint === undefined ? {} : { constraint: period.constraint }), prices: keep(period.prices) })) : keep(m.prices),
      })),
    })) as CatalogSnapshot['providers'],
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(snapshot));
  return snapshot;
}
