import { readFileSync } from 'node:fs';
import { usdPerMTokToPicosPerToken } from '../core/money.js';
import type { CatalogPrices, CatalogProvider, CatalogSnapshot, CatalogValue, PriceConstraint } from './catalog-data.js';
import { catalogPath } from './catalog-path.js';
import { catalogVersion } from './genai-version.js';
import type { ModelPrice, Rates, Tier } from './model-price.js';
import { resolveModel, type Resolved } from './model-match.js';
import { loadFetchedSnapshot } from './fetched-prices.js';
import type { PriceSource } from './price-source.js';
import { writeCatalog } from './write-catalog.js';

/** The price catalog of `@pydantic/genai-prices`: its build-time snapshot, or data `prices update` fetched. */
export class Catalog {
  readonly version: string;
  readonly #snapshot: CatalogSnapshot;

  private constructor(snapshot: CatalogSnapshot) {
    this.#snapshot = snapshot;
    this.version = snapshot.version;
  }

  /** Loads the snapshot; if it is missing or from another package version, takes a new one. */
  static async load(source: PriceSource = { kind: 'builtin' }): Promise<Catalog> {
    if (source.kind === 'fetched') return new Catalog(loadFetchedSnapshot(source.dir, source.fetched));
    try {
      const snapshot = JSON.parse(readFileSync(catalogPath(), 'utf8')) as CatalogSnapshot;
      if (snapshot.version === catalogVersion()) return new Catalog(snapshot);
    } catch {
      // fall through: no usable snapshot
    }
    return new Catalog(await writeCatalog().catch(() => writeCatalog(`${process.env.TMPDIR ?? '/tmp'}/tokenledger-price-catalog-${process.pid}.json`)));
  }

  /** Every provider and model, for comparing two catalogs. */
  providers(): readonly CatalogProvider[] {
    return this.#snapshot.providers;
  }

  /** The ids of a provider's models, as the catalog lists them. */
  modelIds(providerId: string): string[] {
    return this.#snapshot.providers.find((p) => p.id === providerId)?.models.map((m) => m.id) ?? [];
  }

  /** The providers' ids, as the catalog lists them. */
  providerIds(): string[] {
    return this.#snapshot.providers.map((p) => p.id);
  }

  /** Every model id of every provider (a model several providers serve appears once per provider). */
  allModelIds(): string[] {
    return this.#snapshot.providers.flatMap((p) => p.models.map((m) => m.id));
  }

  /** The catalog's model for a name, trying the provider hint first, then every provider. */
  find(model: string, providerHint: string | undefined): Resolved | undefined {
    return (providerHint === undefined ? undefined : resolveModel(this.#snapshot.providers, model, providerHint)) ?? resolveModel(this.#snapshot.providers, model, undefined);
  }
}

/** Index of the price period in force at `at` (the catalog's rule: the last matching constraint wins). */
export function periodIndex(model: Resolved['model'], at: number): number {
  if (!Array.isArray(model.prices)) return 0;
  const when = new Date(at);
  for (let i = model.prices.length - 1; i >= 0; i--) {
    const constraint = model.prices[i]?.constraint;
    if (constraint === undefined || inForce(constraint, when)) return i;
  }
  return 0;
}

/** Compiles one catalog price period into integer rates and whole-request tiers. */
export function compilePeriod(resolved: Resolved, index: number, version: string): ModelPrice | undefined {
  const periods = Array.isArray(resolved.model.prices) ? resolved.model.prices : [{ prices: resolved.model.prices }];
  const period = periods[index] as { prices: CatalogPrices; constraint?: PriceConstraint } | undefined;
  if (period === undefined) return undefined;
  const record = period.prices;
  if (record.input_mtok === undefined || record.output_mtok === undefined) return undefined;
  const provider = resolved.provider.id;
  const claude = provider === 'anthropic' || resolved.model.id.includes('claude');

  const thresholds = new Set<number>();
  for (const value of Object.values(record)) if (typeof value === 'object') for (const tier of value.tiers) thresholds.add(tier.start);
  const ratesAbove = (threshold: number): Rates => {
    const at = (key: string): number | undefined => picosAt(record[key], threshold);
    const input = at('input_mtok') ?? 0;
    const cacheWrite5m = at('cache_write_5m_mtok') ?? at('cache_write_mtok') ?? input;
    return {
      input,
      output: at('output_mtok') ?? 0,
      cacheWrite5m,
      // Claude's one-hour cache writes cost twice the input price, whichever cloud serves it.
      cacheWrite1h: at('cache_write_1h_mtok') ?? (claude ? input * 2 : cacheWrite5m),
      cacheRead: at('cache_read_mtok') ?? input,
    };
  };
  const tiers: Tier[] = [...thresholds].sort((a, b) => a - b).map((threshold) => ({ aboveTokens: threshold, rates: ratesAbove(threshold) }));
  const price: ModelPrice = {
    pricedAs: resolved.model.id,
    provider,
    base: ratesAbove(-1),
    tiers,
    origin: `@pydantic/genai-prices ${version} (${provider}/${resolved.model.id})`,
  };
  if (period.constraint?.type === 'start_date') price.validFrom = period.constraint.start_date;
  return price;
}

/** A catalog value for a prompt just above `threshold`, as integer picos per token. */
function picosAt(value: CatalogValue | undefined, threshold: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return usdPerMTokToPicosPerToken(value);
  let usd = value.base;
  for (const tier of value.tiers) if (threshold >= tier.start) usd = tier.price;
  return usdPerMTokToPicosPerToken(usd);
}

function inForce(constraint: PriceConstraint, when: Date): boolean {
  if (constraint.type === 'start_date') return when >= new Date(constraint.start_date);
  const seconds = when.getUTCHours() * 3600 + when.getUTCMinutes() * 60 + when.getUTCSeconds();
  const from = secondsOfDay(constraint.start_time);
  const to = secondsOfDay(constraint.end_time);
  return to < from ? seconds >= from || seconds < to : seconds >= from && seconds < to;
}

function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (match === null) return 0;
  const local = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  const offset = match[4] === 'Z' ? 0 : (Number(match[6]) * 60 + Number(match[7])) * 60 * (match[5] === '+' ? 1 : -1);
  return (((local - offset) % 86400) + 86400) % 86400;
}
