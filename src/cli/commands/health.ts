import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { anomalyCheck, anomalyOptions } from '../../reports/anomaly.js';
import { budgetCheck } from '../../reports/budgets.js';
import { burnCheck, burnOptions } from '../../reports/burn.js';
import type { Check } from '../../reports/check.js';
import { projectionCheck, projectionOptions } from '../../reports/projection.js';
import type { Runnable } from './command.js';

const CHECKS = ['budget', 'burn', 'anomaly', 'projection'] as const;
type CheckName = (typeof CHECKS)[number];

interface Outcome {
  check: CheckName;
  exit: ExitCode;
  headline: string;
  json: unknown;
}

/** Runs one check and describes its outcome. */
async function run<O, R>(check: Check<O, R>, a: Analysis, options: O): Promise<Outcome> {
  const result = await check.compute(a, options);
  return { check: check.name as CheckName, exit: check.exit(result), headline: check.headline(result), json: check.json(result, a) };
}

export const healthCommand: Runnable = {
  name: 'health',
  summary: 'budget, burn, anomaly and projection checks at once, for CI: exits with the highest exit code',
  configure(command) {
    analysisOptions(command)
      .option('--alert-acceleration <pct>', 'burn: alert when the latest day exceeds the earlier mean by more than this percentage', '100')
      .option('--alert-outliers <n>', 'anomaly: alert at this many outlier sessions', '1')
      .option('--alert-days-to-exhaust <days>', 'projection: alert when a budget is used up or will be within this many days', '14')
      .option('--skip <checks>', `checks to leave out, comma-separated: ${CHECKS.join(', ')}`);
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'health',
      flags,
      io,
      (_loaded, clock) => {
        const skip = new Set(
          String(flags.skip ?? '')
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter((s) => s !== ''),
        );
        for (const name of skip) if (!(CHECKS as readonly string[]).includes(name)) throw badArgument(`--skip: unknown check "${name}"; the checks are ${CHECKS.join(', ')}`);
        return {
          skip,
          burn: burnOptions({ alertAcceleration: flags.alertAcceleration }, 'alertAcceleration'),
          anomaly: anomalyOptions({ alertOutliers: flags.alertOutliers }, io.now(), clock, 'alertOutliers'),
          projection: projectionOptions({ alertDaysToExhaust: flags.alertDaysToExhaust }),
        };
      },
      async (a, o) => {
        const pending: Promise<Outcome>[] = [];
        if (!o.skip.has('budget')) pending.push(run(budgetCheck, a, {}));
        if (!o.skip.has('burn')) pending.push(run(burnCheck, a, o.burn));
        if (!o.skip.has('anomaly')) pending.push(run(anomalyCheck, a, o.anomaly));
        if (!o.skip.has('projection')) pending.push(run(projectionCheck, a, o.projection));
        const outcomes = await Promise.all(pending);
        const exit = outcomes.reduce<ExitCode>((worst, r) => Math.max(r.exit, worst) as ExitCode, EXIT.ok);
        if (a.format === 'json') {
          a.json({
            status: exit === EXIT.ok ? 'ok' : 'alert',
            exitCode: exit,
            checks: CHECKS.map((name) => {
              const r = outcomes.find((x) => x.check === name);
              return r === undefined
                ? { check: name, status: 'skipped', exitCode: null, summary: null, result: null }
                : { check: name, status: r.exit === EXIT.ok ? 'ok' : 'alert', exitCode: r.exit, summary: r.headline, result: r.json };
            }),
          });
        } else {
          a.print([
            {
              title: `Health of namespace ${a.namespace}: ${exit === EXIT.ok ? 'OK' : 'ALERT'}`,
              columns: [{ header: 'Check' }, { header: 'Status' }, { header: 'Exit', align: 'right' }, { header: 'Result', minWidth: 20 }],
              rows: CHECKS.map((name) => {
                const r = outcomes.find((x) => x.check === name);
                return r === undefined ? [name, 'skipped', '', ''] : [name, r.exit === EXIT.ok ? 'ok' : 'ALERT', String(r.exit), r.headline];
              }),
            },
          ]);
        }
        return exit;
      },
    );
  },
};
