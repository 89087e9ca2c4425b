import type { Command } from 'commander';
import type { ExitCode } from '../core/errors.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { ReportSection } from '../sinks/text/text-report.js';
import { runAnalysis, type Analysis } from './analysis.js';
import { analysisOptions } from '../reports/analysis-scope.js';
import type { Runnable } from './commands/command.js';

/**
 * An analysis whose result may fire an alert: `projection`, `burn`, `anomaly` and the budget check
 * are commands of their own and, together, `health`.
 */
export interface Check<Options, Result> {
  name: string;
  compute(analysis: Analysis, options: Options): Promise<Result>;
  /** 0 ok, 1 the alert fired. */
  exit(result: Result): ExitCode;
  /** One line: what the result says. */
  headline(result: Result): string;
  json(result: Result, analysis: Analysis): unknown;
  sections(result: Result, analysis: Analysis): ReportSection[];
}

/** Prints a check's result in the chosen format and returns its exit code. */
export function report<O, R>(check: Check<O, R>, analysis: Analysis, result: R): ExitCode {
  if (analysis.format === 'json') analysis.json(check.json(result, analysis));
  else analysis.print(check.sections(result, analysis));
  return check.exit(result);
}

/** A check as a command of its own: its options, read before the ledger is opened, then its report. */
export function checkCommand<O, R>(
  check: Check<O, R>,
  spec: { summary: string; options(command: Command): void; prepare(flags: Record<string, unknown>, now: number, clock: ZoneClock): O },
): Runnable {
  return {
    name: check.name,
    summary: spec.summary,
    configure(command) {
      spec.options(analysisOptions(command));
    },
    async run(io, _args, flags) {
      return runAnalysis(
        check.name,
        flags,
        io,
        (_loaded, clock) => spec.prepare(flags, io.now(), clock),
        async (a, options) => report(check, a, await check.compute(a, options)),
      );
    },
  };
}
