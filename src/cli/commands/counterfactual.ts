import { counterfactual } from '../../analytics/counterfactual.js';
import { machineOption, userOption } from '../../reports/options.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { runAnalysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { bandPricer } from '../../reports/band-pricer.js';
import { resolveBaselines } from '../../reports/baselines.js';
import { parseInstant } from '../../app/instant.js';
import { formatPct } from '../../app/numbers.js';
import type { Runnable } from './command.js';

export const counterfactualCommand: Runnable = {
  name: 'counterfactual',
  summary: 'what the same requests would have cost on other models (always-haiku, always-sonnet, always-opus, or models you name)',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'requests since: a duration back (30d), a date or an ISO time', '30d')
      .option('--baseline <baselines>', 'always-haiku, always-sonnet, always-opus, all, or model names, comma-separated', 'all');
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'counterfactual',
      flags,
      io,
      (_loaded, clock) => ({ since: parseInstant((flags.since as string | undefined) ?? '30d', '--since', io.now(), clock), baseline: (flags.baseline as string | undefined) ?? 'all' }),
      async (a, { since, baseline }) => {
        const table = await a.ws.pricer.table();
        const baselines = resolveBaselines(baseline, table, a.now);
        const filter = { namespace: a.namespace, since, until: a.now + 1, ...a.who };
        const [bands, byModel] = await Promise.all([a.ws.ledger.usage(filter, ['model', 'promptBand']), a.ws.ledger.usage(filter, ['model'])]);
        const result = counterfactual(bands, baselines, bandPricer(table, a.now));
        if (a.format === 'json') {
          a.json({
            namespace: a.namespace,
            since: new Date(since).toISOString(),
            until: new Date(a.now).toISOString(),
            actual_usd: nanosToUsd(result.actualNanos),
            requests: result.events,
            left_out: { requests: result.leftOut.events, models: result.leftOut.models },
            byModel: byModel
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
          });
          return EXIT.ok;
        }
        const lines = [`Actual: ${formatUsd(result.actualNanos)} for ${result.events} requests since ${a.clock.stamp(since)}.`];
        if (result.leftOut.events > 0) lines.push(`Left out: ${result.leftOut.events} requests of models without a price (${result.leftOut.models.join(', ')}).`);
        if (result.baselines.some((b) => b.overEscalation))
          lines.push('A negative saving means the requests cost more than that baseline would have: work escalated to pricier models than it needed.');
        if (result.baselines.some((b) => !b.exact)) lines.push('~ marks an estimate: a long-context threshold of that model falls between the prompt sizes the ledger keeps apart.');
        a.print([
          {
            title: `Counterfactual: the same requests on other models (today's prices, per-request long-context rules)`,
            columns: [
              { header: 'Baseline' },
              { header: 'Model' },
              { header: 'Would have cost', align: 'right' },
              { header: 'Saved (baseline − actual)', align: 'right' },
              { header: '% of baseline', align: 'right' },
              { header: '', priority: 20 },
            ],
            rows: result.baselines.map((b) => [
              b.name,
              b.model,
              `${b.exact ? '' : '~'}${formatUsd(b.costNanos)}`,
              formatUsd(b.savingsNanos),
              formatPct(b.savingsPct),
              b.overEscalation ? 'over-escalation' : '',
            ]),
          },
          { lines },
        ]);
        return EXIT.ok;
      },
    );
  },
};
