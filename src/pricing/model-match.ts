import type { CatalogModelInfo, CatalogProvider, MatchLogic } from './catalog-data.js';

/**
 * Model matching with the same rules as `@pydantic/genai-prices` (its `calcPrice` resolver),
 * kept beside its conformance test (`model-match.test.ts` checks every catalog model against it).
 */
export function matches(logic: MatchLogic, text: string): boolean {
  if ('or' in logic) return logic.or.some((l) => matches(l, text));
  if ('and' in logic) return logic.and.every((l) => matches(l, text));
  if ('equals' in logic) return text.toLowerCase() === logic.equals.toLowerCase();
  if ('starts_with' in logic) return text.toLowerCase().startsWith(logic.starts_with.toLowerCase());
  if ('ends_with' in logic) return text.toLowerCase().endsWith(logic.ends_with.toLowerCase());
  if ('contains' in logic) return text.toLowerCase().includes(logic.contains.toLowerCase());
  if ('regex' in logic) return new RegExp(logic.regex).test(text);
  return false;
}

export interface Resolved {
  provider: CatalogProvider;
  model: CatalogModelInfo;
}

/** The catalog model for a name, looking in `providerId` when given, else in the provider whose names it matches. */
export function resolveModel(providers: readonly CatalogProvider[], name: string, providerId: string | undefined): Resolved | undefined {
  const model = name.toLowerCase().trim();
  const provider = providerId !== undefined ? providerById(providers, providerId) : providers.find((p) => p.model_match !== undefined && matches(p.model_match, model));
  if (provider === undefined) return undefined;
  const found = findInProvider(provider, model, providers) ?? withDashedDate(model, (dated) => findInProvider(provider, dated, providers));
  return found === undefined ? undefined : found;
}

function providerById(providers: readonly CatalogProvider[], id: string): CatalogProvider | undefined {
  const wanted = id.toLowerCase().trim();
  return providers.find((p) => p.id === wanted) ?? providers.find((p) => p.provider_match !== undefined && matches(p.provider_match, wanted));
}

function findInProvider(provider: CatalogProvider, model: string, all: readonly CatalogProvider[], depth = 0): Resolved | undefined {
  const found = provider.models.find((m) => matches(m.match, model));
  if (found !== undefined) return { provider, model: found };
  if (depth > 0) return undefined;
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = all.find((p) => p.id === fallbackId);
    const inFallback = fallback === undefined ? undefined : findInProvider(fallback, model, all, depth + 1);
    if (inFallback !== undefined) return inFallback;
  }
  return undefined;
}

const COMPACT_DATE = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** `claude-x-20250514` → `claude-x-2025-05-14` (the catalog spells some dates that way). */
function withDashedDate<T>(model: string, find: (name: string) => T | undefined): T | undefined {
  const dashed = model.replace(COMPACT_DATE, (all, dash: string, y: string, m: string, d: string) => {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `${dash}${y}-${m}-${d}` : all;
  });
  return dashed === model ? undefined : find(dashed);
}
