import type { ExitCode } from '../../core/errors.js';
import type { Io } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { syncAndReport, withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { warnAboutPrices } from '../../reports/price-notes.js';
import { reportContextOf } from '../report-context.js';

export const syncCommand: CommandSpec = {
  name: 'sync',
  summary: 'read new agent usage into the ledger without reporting',
  configure(command) {
    ledgerOptions(command).option('-j, --json', 'print the sync summary as JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    return withWorkspace(
      flags,
      io,
      () => undefined,
      async (ws) => {
        const { report, exit } = await syncAndReport(ws, flags.verbose === true, typeof flags.namespace === 'string' ? flags.namespace : undefined);
        const summary = {
          ledger: ws.ledger.location,
          filesSeen: report.filesSeen,
          filesRead: report.filesRead,
          bytesRead: report.bytesRead,
          inserted: report.inserted,
          updated: report.replaced,
          duplicates: report.duplicates,
          dropped: report.drops,
          pendingTails: report.pendingTails,
          unpricedModels: [...report.unpricedModels].sort(),
          durationMs: Math.round(report.durationMs),
        };
        if (flags.json === true) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else {
          io.stdout.write(
            `Synced ${report.filesRead} changed of ${report.filesSeen} files (${(report.bytesRead / 1e6).toFixed(1)} MB) in ${summary.durationMs} ms: ` +
              `${report.inserted} new events, ${report.replaced} updated, ${report.duplicates} duplicates skipped, ${report.drops.length} dropped.\n` +
              `Ledger: ${ws.ledger.location}\n`,
          );
        }
        await warnAboutPrices(reportContextOf(ws), summary.unpricedModels);
        return exit;
      },
    );
  },
};
