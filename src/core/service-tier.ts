/**
 * The service tier a request was served at, when it was not the standard one: `fast` (Claude's
 * fast mode, logged as `usage.speed`), `flex`, `priority` or `batch` (OpenAI's `service_tier`), or
 * whatever else a provider reports. Standard service has no tier: it is the absence of one.
 */

/** Values providers log for their default service, which costs nothing extra. */
const STANDARD = new Set(['', 'standard', 'default', 'auto', 'on_demand', 'on-demand']);

/** What a tier may look like once stored: short, lower case, no spaces or control characters. */
const SAFE = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/**
 * The tier of a request from the values its log carries, most specific first (Claude: `speed`,
 * then `service_tier`). Standard values yield undefined; a value that is not a plain short word
 * is kept as `other`, so it is still priced at standard rates and flagged, never shown raw.
 */
export function serviceTierOf(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const tier = value.trim().toLowerCase();
    if (STANDARD.has(tier)) continue;
    return SAFE.test(tier) ? tier : 'other';
  }
  return undefined;
}
