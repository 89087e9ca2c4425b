import type { PriceBand } from '../analytics/band-price.js';
import { DEFAULT_SMALL_OUTPUT_TOKENS, DOWNGRADES, recommendations, type ModelRef, type Recommendation } from '../analytics/optimize.js';
import { tierPremiums } from '../analytics/tier-premium.js';
import { EXIT } from '../core/errors.js';
import { nanosToUsd } from '../core/money.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { costAtRates, costNanos } from '../pricing/cost.js';
import type { PriceTable } from '../pricing/price-table.js';
import { parseInstant } from '../app/instant.js';
import { parseCount } from '../app/numbers.js';
import { analysisContext, type AnalysisContext } from './analysis-context.js';
import { analysisOptions } from './analysis-scope.js';
import { bandPricer } from '../app/band-pricer.js';
import { resolveBaselines } from './baselines.js';
import { machineOption, userOption } from './options.js';
import type { JsonReport } from './report.js';

export interface OptimizeOptions {
  since: number;
  smallOutputTokens: number;
}

export function optimizeOptions(flags: Record<string, unknown>, now: number, clock: ZoneClock): OptimizeOptions {
  const small = flags.smallOutput;
  return {
    since: parseInstant((flags.since as string | undefined) ?? '30d', '--since', now, clock),
    smallOutputTokens: small === undefined ? DEFAULT_SMALL_OUTPUT_TOKENS : parseCount(small, '--small-output', 1),
  };
}

/** The same tokens at a model's base rates today, as if it had no long-context tier. */
function basePricer(table: PriceTable, at: number): PriceBand {
  return (model, provider, row) => {
    const price = table.price(model, provider, at);
    return price === undefined ? undefined : { costNanos: costAtRates(price.base, row), exact: true };
  };
}

/** The newest catalog model of a tier (as `always-<tier>` baselines choose it), once per tier. */
function currentModels(table: PriceTable, at: number): (tier: string) => ModelRef | undefined {
  const known = new Map<string, ModelRef | undefined>();
  return (tier) => {
    if (!known.has(tier)) {
      let found: ModelRef | undefined;
      try {
        found = resolveBaselines(`always-${tier}`, table, at)[0];
      } catch {
        found = undefined; // the catalog has no model of that tier
      }
      known.set(tier, found === undefined ? undefined : { model: found.model, ...(found.provider === undefined ? {} : { provider: found.provider }) });
    }
    return known.get(tier);
  };
}

export interface OptimizeResult {
  since: number;
  list: Recommendation[];
  totalNanos: number;
  requests: number;
  unpricedRequests: number;
}

/** The recommendations measured on the usage since `since`, with what each would have saved. */
export async function computeOptimize(a: AnalysisContext, { since, smallOutputTokens }: OptimizeOptions): Promise<OptimizeResult> {
  const table = await a.ctx.pricer.table();
  const filter = { namespace: a.namespace, since, until: a.now + 1, ...a.who };
  const rows = await a.ctx.ledger.usage(filter, ['session', 'model', 'promptBand']);
  const tiered = await a.ctx.ledger.tieredEvents(filter);
  const premiums = tierPremiums(tiered, (e) => {
    const price = table.price(e.model, e.provider, e.occurredAt);
    return price === undefined ? undefined : costNanos(price, e);
  });
  const list = recommendations({
    rows,
    price: bandPricer(table, a.now),
    basePrice: basePricer(table, a.now),
    currentModel: currentModels(table, a.now),
    smallOutputTokens,
    tierPremiums: premiums,
  });
  return {
    since,
    list,
    totalNanos: rows.reduce((s, r) => s + r.costNanos, 0),
    requests: rows.reduce((s, r) => s + r.events, 0),
    unpricedRequests: rows.reduce((s, r) => s + r.unpricedEvents, 0),
  };
}

const snake = (key: string): string => key.replace(/(?<=[a-z])(?=[A-Z])|(?<=[a-zA-Z])(?=\d)/g, '_').toLowerCase();

/** Evidence for JSON: snake_case keys, `…Nanos` figures as `…_usd` dollars. */
function jsonFigures(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonFigures);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => (key.endsWith('Nanos') && typeof v === 'number' ? [`${snake(key.slice(0, -5))}_usd`, nanosToUsd(v)] : [snake(key), jsonFigures(v)])),
  );
}

export function optimizeJson(r: OptimizeResult, a: AnalysisContext): unknown {
  return {
    namespace: a.namespace,
    since: new Date(r.since).toISOString(),
    until: new Date(a.now).toISOString(),
    total_cost_usd: nanosToUsd(r.totalNanos),
    unpriced_requests: r.unpricedRequests,
    recommendations: r.list.map((x) => ({ id: x.id, title: x.title, detail: x.detail, action: x.action, savings_usd: nanosToUsd(x.savingsNanos), evidence: jsonFigures(x.evidence) })),
  };
}

/** `optimize`: recommendations measured on the usage, with what each would have saved. */
export const OPTIMIZE_REPORT: JsonReport = {
  name: 'optimize',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'the period: since a duration back (30d), a date or an ISO time', '30d')
      .option(
        '--small-output <tokens>',
        `suggest a cheaper model for sessions whose requests averaged fewer output tokens than this on ${Object.keys(DOWNGRADES).join(' or ')}`,
        String(DEFAULT_SMALL_OUTPUT_TOKENS),
      );
  },
  async answer(ctx, flags) {
    const a = await analysisContext(ctx, flags, 'optimize');
    const options = optimizeOptions(flags, a.now, a.clock);
    return { document: optimizeJson(await computeOptimize(a, options), a), exit: EXIT.ok };
  },
};
