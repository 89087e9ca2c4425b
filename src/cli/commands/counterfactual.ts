import { formatPct } from '../../app/numbers.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { computeCounterfactual, counterfactualOptions, COUNTERFACTUAL_REPORT } from '../../reports/counterfactual.js';
import { runAnalysis } from '../analysis.js';
import type { Runnable } from './command.js';

export const counterfactualCommand: Runnable = {
  name: 'counterfactual',
  summary: 'what the same requests would have cost on other models (always-haiku, always-sonnet, always-opus, or models you name)',
  configure(command) {
    COUNTERFACTUAL_REPORT.configure(command);
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'counterfactual',
      flags,
      io,
      (_loaded, clock) => counterfactualOptions(flags, io.now(), clock),
      async (a, options) => {
        const { result } = await computeCounterfactual(a, options);
        const lines = [`Actual: ${formatUsd(result.actualNanos)} for ${result.events} requests since ${a.clock.stamp(options.since)}.`];
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
      COUNTERFACTUAL_REPORT,
    );
  },
};
