import { EXIT, type ExitCode } from '../core/errors.js';
import type { JsonReport, ReportContext } from '../reports/report.js';
import type { Io } from './io.js';

/**
 * `--json`: a report's document on stdout, as the API answers it. The exit code is `syncExit`
 * when the sync before it was not clean, else the report's own.
 */
export async function printAnswer(io: Io, report: JsonReport, ctx: ReportContext, flags: Record<string, unknown>, args: readonly string[], syncExit: ExitCode = EXIT.ok): Promise<ExitCode> {
  const answer = await report.answer(ctx, flags, args);
  io.stdout.write(`${JSON.stringify(answer.document, null, 2)}\n`);
  return syncExit === EXIT.ok ? answer.exit : syncExit;
}
