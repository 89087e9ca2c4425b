import { counterfactual } from '../analytics/counterfactual.js';
import { EXIT } from '../core/errors.js';
import { nanosToUsd } from '../core/money.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { parseInstant } from '../app/instant.js';
import { analysisContext, type AnalysisContext } from './analysis-context.js';
import { analysisOptions } from './analysis-scope.js';
import { bandPricer } from '../app/band-pricer.js';
import { resolveBaselines } from './baselines.js';
import { machineOption, userOption } from './options.js';
import type { JsonReport } from './report.js';

export interface CounterfactualOptions {
  since: number;
  /** `--baseline` as given: resolved against the price table when the report runs. */
  baseline: string;
}

export function counterfactualOptions(flags: Record<string, unknown>, now: number, clock: ZoneClock): CounterfactualOptions {
  return { since: parseInstant((flags.since as string | undefined) ?? '30d', '--since', now, clock), baseline: (flags.baseline as string | undefined) ?? 'all' };
}

/** What the requests since `since` cost, and would have cost on each baseline, at today's prices. */
export async function computeCounterfactual(a: AnalysisContext, options: CounterfactualOptions) {
  const table = await a.ctx.pricer.table();
  const baselines = resolveBaselines(options.baseline, table, a.now);
  const filter = { namespace: a.namespace, since: options.since, until: a.now + 1, ...a.who };
  const [bands, byModel] = await Promise.all([a.ctx.ledger.usage(filter, ['model', 'promptBand']), a.ctx.ledger.usage(filter, ['model'])]);
  return { since: options.since, byModel, result: counterfactual(bands, baselines, bandPricer(table, a.now)) };
}

export type CounterfactualResult = Awaited<ReturnType<typeof computeCounterfactual>>;

export function counterfactualJson(r: CounterfactualResult, a: AnalysisContext): unknown {
  const result = r.result;
  return {
    namespace: a.namespace,
    since: new Date(r.since).toISOString(),
    until: new Date(a.now).toISOString(),
    actual_usd: nanosToUsd(result.actualNanos),
    requests: result.events,
    left_out: { requests: result.leftOut.events, models: result.leftOut.models },
    byModel: r.byModel
      .filter((m) => m.unpricedEvents === 0)
      .sort((x, y) => y.costNanos - x.costNanos)
      .map((m) => ({ model: m.model, requests: m.events, cost_usd: nanosToUsd(m.costNanos) })),
    baselines: result.baselines.map((b) => ({
      baseline: b.name,
      model: b.model,
      cost_usd: nanosToUsd(b.costNanos),
      savings_usd: nanosToUsd(b.savingsNanos),
      savings_pct: b.savingsPct,
      over_escalation: b.overEscalation,
      exact: b.exact,
    })),
  };
}

/** `counterfactual`: what the same requests would have cost on other models. */
export const COUNTERFACTUAL_REPORT: JsonReport = {
  name: 'counterfactual',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'requests since: a duration back (30d), a date or an ISO time', '30d')
      .option('--baseline <baselines>', 'always-haiku, always-sonnet, always-opus, all, or model names, comma-separated', 'all');
  },
  async answer(ctx, flags) {
    const a = await analysisContext(ctx, flags, 'counterfactual');
    const options = counterfactualOptions(flags, a.now, a.clock);
    return { document: counterfactualJson(await computeCounterfactual(a, options), a), exit: EXIT.ok };
  },
};
