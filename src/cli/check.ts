import type { ExitCode } from '../core/errors.js';
import type { ReportSection } from '../sinks/text/text-report.js';
import type { Analysis } from './analysis.js';

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
