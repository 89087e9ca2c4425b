import type { Baseline } from '../analytics/counterfactual.js';
import { badArgument } from '../core/errors.js';
import type { PriceTable } from '../pricing/price-table.js';

/** `always-<family>` baselines: the newest Claude model of the family in the bundled catalog. */
const FAMILIES = ['haiku', 'sonnet', 'opus'] as const;

/**
 * `--baseline always-haiku|always-sonnet|always-opus|all|<model,…>`: the models to re-price with.
 * A family means its newest model in the catalog (by version number: `claude-opus-5-5` after
 * `claude-opus-4-5`); a model name must have a known price.
 */
export function resolveBaselines(text: string, table: PriceTable, at: number): Baseline[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw badArgument('--baseline expects always-haiku, always-sonnet, always-opus, all, or model names separated by commas');
  const out: Baseline[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    const families = lower === 'all' ? FAMILIES : FAMILIES.filter((f) => lower === `always-${f}`);
    if (families.length > 0) {
      for (const family of families) out.push({ name: `always-${family}`, model: newest(table, family), provider: 'anthropic' });
      continue;
    }
    if (lower.startsWith('always-')) throw badArgument(`unknown baseline "${name}": the families are ${FAMILIES.map((f) => `always-${f}`).join(', ')}`);
    if (table.price(name, undefined, at) === undefined) {
      throw badArgument(`--baseline: no price is known for the model "${name}"`, 'check the spelling with `tokenledger prices MODEL`, or add it to config "prices"');
    }
    out.push({ name, model: name });
  }
  return out.filter((b, i) => out.findIndex((o) => o.name === b.name) === i);
}

function newest(table: PriceTable, family: string): string {
  const pattern = new RegExp(`^claude-${family}-(\\d+)(?:-(\\d+))?$`);
  const versions = table
    .catalogModels('anthropic')
    .map((id) => ({ id, match: pattern.exec(id) }))
    .filter((m) => m.match !== null)
    .map(({ id, match }) => ({ id, major: Number(match?.[1]), minor: Number(match?.[2] ?? 0) }))
    .filter((v) => v.minor < 100) // a date suffix, not a minor version
    .sort((a, b) => b.major - a.major || b.minor - a.minor);
  const best = versions[0];
  if (best === undefined) throw badArgument(`the price catalog has no Claude ${family} model`);
  return best.id;
}
