import { TokenledgerError, type ExitCode } from '../core/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { renderReport, type ReportSection } from '../sinks/text/text-report.js';
import { styleFor } from '../sinks/table/style.js';
import { chosenFormat, type Format } from '../reports/format.js';
import { analysisClock } from '../reports/analysis-scope.js';
import { terminalWidth, type Io } from './io.js';
import { resolveNamespace } from '../app/namespace.js';
import { analysisContext, type AnalysisContext } from '../reports/analysis-context.js';
import type { JsonReport } from '../reports/report.js';
import { printAnswer } from './print-answer.js';
import { syncAndReport, withWorkspace, type Workspace } from './workspace.js';
import { reportContextOf } from './report-context.js';

/** What an analysis command works with, once its flags are read and the ledger is up to date. */
export interface Analysis extends AnalysisContext {
  ws: Workspace;
  io: Io;
  format: Format;
  /** Prints sections as a table or markdown (`--format`). */
  print(sections: readonly ReportSection[]): void;
  json(value: unknown): void;
}

/**
 * Runs an analysis command: reads its flags (`prepare`, before the ledger is opened, so bad input
 * costs nothing), syncs new agent usage unless `--no-sync`, and hands over. Exit codes are a
 * contract here (0 ok, 1 alert, 2 bad input): lines a sync could not read are reported on stderr only.
 * With `--json` and a `report`, the report's document is printed and `run` is not called.
 */
export async function runAnalysis<P>(
  command: string,
  flags: Record<string, unknown>,
  io: Io,
  prepare: (loaded: LoadedConfig, clock: ZoneClock) => P,
  run: (analysis: Analysis, prepared: P) => Promise<ExitCode>,
  report?: JsonReport,
): Promise<ExitCode> {
  const format = chosenFormat(flags);
  return withWorkspace(
    flags,
    io,
    (loaded) => {
      const clock = analysisClock(flags, loaded.config, io.env);
      return { clock, namespace: resolveNamespace(flags.namespace as string | undefined, command, io.env, loaded.config.namespace), prepared: prepare(loaded, clock) };
    },
    async (ws, { prepared }) => {
      if (flags.sync !== false) await syncUnlessLocked(ws, flags.verbose === true);
      const ctx = reportContextOf(ws);
      // The report's document, as the API answers it.
      if (format === 'json' && report !== undefined) return printAnswer(io, report, ctx, flags, []);
      const analysis: Analysis = {
        ...(await analysisContext(ctx, flags, command)),
        ws,
        io,
        format,
        print: (sections) => io.stdout.write(renderReport(sections, format === 'markdown' ? 'markdown' : 'table', terminalWidth(io), styleFor(io.stdout, io.env))),
        json: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
      };
      return run(analysis, prepared);
    },
  );
}

/**
 * The sync before an analysis. A ledger another writer holds longer than a write waits does not
 * stop the analysis (its exit code is a contract): it says so and reads the ledger as it is.
 */
async function syncUnlessLocked(ws: Workspace, verbose: boolean): Promise<void> {
  try {
    await syncAndReport(ws, verbose);
  } catch (error) {
    if (!(error instanceof TokenledgerError) || error.code !== 'LEDGER_LOCKED') throw error;
    ws.io.stderr.write(`warning: ${error.message}: new agent usage is not recorded this time; this reads the ledger as it is (the next sync records it)\n`);
  }
}
