import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PICOS_PER_TOKEN } from '../core/event-bounds.js';
import { Catalog, compilePeriod } from './catalog.js';
import type { CatalogSnapshot } from './catalog-data.js';
import { catalogPath } from './catalog-path.js';

describe('the bundled catalog', () => {
  it('prices no token above the bound that keeps every cost exact ($1,000 per million tokens)', async () => {
    await Catalog.load();
    const snapshot = JSON.parse(readFileSync(catalogPath(), 'utf8')) as CatalogSnapshot;
    let dearest = 0;
    for (const provider of snapshot.providers) {
      for (const model of provider.models) {
        const periods = Array.isArray(model.prices) ? model.prices.length : 1;
        for (let i = 0; i < periods; i++) {
          const price = compilePeriod({ provider, model }, i, snapshot.version);
          if (price === undefined) continue;
          for (const rates of [price.base, ...price.tiers.map((t) => t.rates)]) dearest = Math.max(dearest, ...Object.values(rates));
        }
      }
    }
    expect(dearest).toBeGreaterThan(0);
    expect(dearest).toBeLessThanOrEqual(MAX_PICOS_PER_TOKEN);
  });
});
