import type { ExitCode } from '../core/errors.js';
import type { Check } from '../reports/check.js';
import type { JsonReport } from '../reports/report.js';
import type { ReportSection } from '../sinks/text/text-report.js';
import { runAnalysis, type Analysis } from './analysis.js';
import type { Runnable } from './commands/command.js';

/** How the CLI draws a check's result as a table (its JSON is the check's report). */
export type CheckSections<R> = (result: R, analysis: Analysis) => ReportSection[];

/**
 * A check as a command of its own: its options, read before the ledger is opened; then the
 * document of its report (the one the registry lists) with `--json`, else its tables.
 */
export function checkCommand<O, R>(check: Check<O, R>, report: JsonReport, spec: { summary: string; sections: CheckSections<R> }): Runnable {
  return {
    name: check.name,
    summary: spec.summary,
    configure(command) {
      report.configure(command);
    },
    async run(io, _args, flags) {
      return runAnalysis(
        check.name,
        flags,
        io,
        (_loaded, clock) => check.options(flags, io.now(), clock),
        async (a, options): Promise<ExitCode> => {
          const result = await check.compute(a, options);
          a.print(spec.sections(result, a));
          return check.exit(result);
        },
        report,
      );
    },
  };
}
