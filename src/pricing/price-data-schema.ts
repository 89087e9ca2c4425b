import { MAX_PICOS_PER_TOKEN } from '../core/event-bounds.js';
import { TokenledgerError } from '../core/errors.js';
import { TOKEN_PRICE_KEYS, type CatalogModelInfo, type CatalogPeriod, type CatalogPrices, type CatalogProvider, type CatalogValue, type MatchLogic, type PriceConstraint } from './catalog-data.js';

/** The dearest price a cost can be kept exactly at, in the unit the data is written in. */
const MAX_USD_PER_MTOK = MAX_PICOS_PER_TOKEN / 1_000_000;
const LIMITS = { providers: 500, modelsPerProvider: 5_000, models: 20_000, periods: 100, tiers: 100, matchDepth: 16, text: 500, regex: 300 } as const;
/** Providers whose absence means the data is cut short or not price data at all. */
const REQUIRED_PROVIDERS = ['anthropic', 'openai', 'google'] as const;
/** Keys that could reach an object's prototype if data were merged carelessly: refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** A quantified group that is itself quantified (`(a+)+`): the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\([^()]*[+*}][^()]*\)\s*[+*{]/;

/**
 * Checks the published price data of `@pydantic/genai-prices` (schema v2: a list of providers) and
 * reduces it to the catalog shape tokenledger reads. Everything is copied into fresh objects of
 * known keys, so nothing from the data reaches a prototype; anything unexpected is refused with
 * its place named.
 */
export function parsePriceData(data: unknown): CatalogProvider[] {
  const fail = (where: string, message: string): never => {
    throw new TokenledgerError('BAD_PRICE_DATA', `price data: ${where} ${message}`, { hint: 'nothing was changed; the prices in use stay as they were' });
  };
  const object = (v: unknown, where: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(where, `must be an object, got ${kind(v)}`);
    for (const key of Object.keys(v)) if (FORBIDDEN_KEYS.has(key)) fail(where, `holds the key "${key}", which price data never uses`);
    return v as Record<string, unknown>;
  };
  const list = (v: unknown, where: string, most: number): unknown[] => {
    if (!Array.isArray(v)) return fail(where, `must be a list, got ${kind(v)}`);
    if (v.length > most) fail(where, `has ${v.length} entries, more than the ${most} price data can hold`);
    return v;
  };
  const text = (v: unknown, where: string, most: number = LIMITS.text): string => {
    if (typeof v !== 'string' || v === '' || v.length > most) return fail(where, `must be a text of 1-${most} characters, got ${kind(v)}`);
    return v;
  };
  const usd = (v: unknown, where: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return fail(where, `must be a non-negative number of USD per million tokens, got ${kind(v)}`);
    if (v > MAX_USD_PER_MTOK) return fail(where, `is ${v} USD per million tokens, above the ${MAX_USD_PER_MTOK} a price can be`);
    return v;
  };

  const match = (v: unknown, where: string, depth: number): MatchLogic => {
    if (depth > LIMITS.matchDepth) fail(where, `nests deeper than ${LIMITS.matchDepth} levels`);
    const o = object(v, where);
    const keys = Object.keys(o);
    if (keys.length !== 1) fail(where, `must have exactly one of and, or, equals, starts_with, ends_with, contains, regex; got ${keys.join(', ') || 'none'}`);
    const key = keys[0] as string;
    if (key === 'and' || key === 'or') {
      const parts = list(o[key], `${where}.${key}`, 1_000).map((part, i) => match(part, `${where}.${key}[${i}]`, depth + 1));
      return key === 'and' ? { and: parts } : { or: parts };
    }
    if (key === 'regex') {
      const pattern = text(o.regex, `${where}.regex`, LIMITS.regex);
      if (NESTED_QUANTIFIER.test(pattern)) fail(`${where}.regex`, 'nests quantifiers, which can make matching take forever');
      try {
        new RegExp(pattern);
      } catch {
        fail(`${where}.regex`, 'is not a valid regular expression');
      }
      return { regex: pattern };
    }
    if (key === 'equals' || key === 'starts_with' || key === 'ends_with' || key === 'contains') return { [key]: text(o[key], `${where}.${key}`) } as MatchLogic;
    return fail(where, `uses "${key}", which is not a known match rule`);
  };

  const value = (v: unknown, where: string): CatalogValue => {
    if (typeof v !== 'object' || v === null) return usd(v, where);
    const o = object(v, where);
    const tiers = list(o.tiers, `${where}.tiers`, LIMITS.tiers).map((t, i) => {
      const tier = object(t, `${where}.tiers[${i}]`);
      if (typeof tier.start !== 'number' || !Number.isSafeInteger(tier.start) || tier.start < 0) fail(`${where}.tiers[${i}].start`, `must be a whole number of tokens, got ${kind(tier.start)}`);
      return { start: tier.start as number, price: usd(tier.price, `${where}.tiers[${i}].price`) };
    });
    return { base: usd(o.base, `${where}.base`), tiers };
  };
  const prices = (v: unknown, where: string): CatalogPrices => {
    const o = object(v, where);
    const out: CatalogPrices = {};
    for (const key of TOKEN_PRICE_KEYS) if (o[key] !== undefined) out[key] = value(o[key], `${where}.${key}`);
    return out;
  };
  const constraint = (v: unknown, where: string): PriceConstraint => {
    const o = object(v, where);
    if ((o.type === 'start_date' || o.type === undefined) && typeof o.start_date === 'string' && DAY.test(o.start_date) && !Number.isNaN(Date.parse(o.start_date))) {
      return { type: 'start_date', start_date: o.start_date };
    }
    if ((o.type === 'time_of_date' || o.type === undefined) && typeof o.start_time === 'string' && TIME.test(o.start_time) && typeof o.end_time === 'string' && TIME.test(o.end_time)) {
      return { type: 'time_of_date', start_time: o.start_time, end_time: o.end_time };
    }
    return fail(where, 'must be a start date (YYYY-MM-DD) or a time of day range');
  };

  let models = 0;
  const model = (v: unknown, where: string): CatalogModelInfo => {
    const o = object(v, where);
    const id = text(o.id, `${where}.id`, 200);
    const at = `${where} (${JSON.stringify(id)})`;
    const periods = Array.isArray(o.prices)
      ? list(o.prices, `${at}.prices`, LIMITS.periods).map((p, i): CatalogPeriod => {
          const period = object(p, `${at}.prices[${i}]`);
          return {
            ...(period.constraint === undefined ? {} : { constraint: constraint(period.constraint, `${at}.prices[${i}].constraint`) }),
            prices: prices(period.prices, `${at}.prices[${i}].prices`),
          };
        })
      : prices(o.prices, `${at}.prices`);
    return { id, match: match(o.match, `${at}.match`, 0), prices: periods };
  };
  const provider = (v: unknown, where: string): CatalogProvider => {
    const o = object(v, where);
    const id = text(o.id, `${where}.id`, 64);
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id)) fail(`${where}.id`, `must be a short name of letters, digits, dots, dashes or underscores, got ${JSON.stringify(id)}`);
    const at = `${where} (${id})`;
    const list_ = list(o.models, `${at}.models`, LIMITS.modelsPerProvider);
    models += list_.length;
    if (models > LIMITS.models) fail('the data', `lists more than ${LIMITS.models} models`);
    const out: CatalogProvider = { id, models: list_.map((m, i) => model(m, `${at}.models[${i}]`)) };
    if (o.model_match !== undefined) out.model_match = match(o.model_match, `${at}.model_match`, 0);
    if (o.provider_match !== undefined) out.provider_match = match(o.provider_match, `${at}.provider_match`, 0);
    if (o.fallback_model_providers !== undefined)
      out.fallback_model_providers = list(o.fallback_model_providers, `${at}.fallback_model_providers`, 20).map((f, i) => text(f, `${at}.fallback_model_providers[${i}]`, 64));
    return out;
  };

  if (!Array.isArray(data)) {
    const version = data !== null && typeof data === 'object' ? ((data as Record<string, unknown>).schema_version ?? (data as Record<string, unknown>).version) : undefined;
    fail('the data', `is not schema v2 (a list of providers)${version === undefined ? '' : `: it says version ${JSON.stringify(version)}`}; got ${kind(data)}`);
  }
  const providers = list(data, 'the data', LIMITS.providers).map((p, i) => provider(p, `providers[${i}]`));
  const missing = REQUIRED_PROVIDERS.filter((id) => !providers.some((p) => p.id === id && p.models.length > 0));
  if (missing.length > 0) fail('the data', `has no models for ${missing.join(', ')}: it is cut short or not price data`);
  return providers;
}

function kind(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length > 40 ? `a text of ${v.length} characters` : JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : String(v);
}
