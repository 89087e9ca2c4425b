import type { Command } from 'commander';
import type { ExitCode } from '../core/errors.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { analysisContext, type AnalysisContext } from './analysis-context.js';
import { analysisOptions } from './analysis-scope.js';
import type { JsonReport } from './report.js';

/**
 * An analysis whose result may fire an alert: `projection`, `burn`, `anomaly` and the budget check
 * are reports of their own and, together, `health`. The CLI draws its tables from `compute`'s result.
 */
export interface Check<Options, Result> {
  name: string;
  /** Declares the check's own flags (besides `--namespace` and `--timezone`). */
  flags(command: Command): void;
  /** Reads the flags; throws on bad input before anything is read. */
  options(flags: Record<string, unknown>, now: number, clock: ZoneClock): Options;
  compute(analysis: AnalysisContext, options: Options): Promise<Result>;
  /** 0 ok, 1 the alert fired. */
  exit(result: Result): ExitCode;
  /** One line: what the result says. */
  headline(result: Result): string;
  json(result: Result, analysis: AnalysisContext): unknown;
}

/** A check as a report of its own: its JSON document, and its exit code. */
export function checkReport<O, R>(check: Check<O, R>, name = check.name): JsonReport {
  return {
    name,
    configure(command) {
      check.flags(analysisOptions(command));
    },
    async answer(ctx, flags) {
      const analysis = await analysisContext(ctx, flags, check.name);
      const result = await check.compute(analysis, check.options(flags, analysis.now, analysis.clock));
      return { document: check.json(result, analysis), exit: check.exit(result) };
    },
  };
}
