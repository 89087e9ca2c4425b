import type { SyncReport } from '../../sync/sync.js';
import { dropLine, type Workspace } from '../workspace.js';

/** What each sync tells the user: a line with --verbose, dropped lines, models without a price (once each). */
export function syncReporter(ws: Workspace, verbose: boolean, say: (line: string) => void): (report: SyncReport, only: readonly string[] | undefined) => void {
  const unpriced = new Set<string>();
  return (report, only) => {
    if (verbose) {
      say(
        `synced ${only === undefined ? `every file (${report.filesRead} of ${report.filesSeen} changed)` : `${report.filesRead} changed file${report.filesRead === 1 ? '' : 's'}`} in ${report.durationMs.toFixed(0)} ms: ` +
          `${report.inserted} new, ${report.replaced} updated, ${report.duplicates} duplicate events`,
      );
      for (const r of report.restarted) say(`re-read from the start: ${r.path} (${r.reason})`);
      for (const d of report.drops) say(dropLine(d));
    } else if (report.drops.length > 0) {
      const files = new Set(report.drops.map((d) => d.path)).size;
      say(`warning: ${report.drops.length} record(s) in ${files} file(s) could not be read and were skipped (run with --verbose to list them)`);
    }
    const fresh = [...report.unpricedModels].filter((m) => !unpriced.has(m));
    if (fresh.length > 0) {
      for (const m of fresh) unpriced.add(m);
      say(`note: no price is known for ${fresh.sort().join(', ')}; their tokens are counted, their cost as $0. Add a price under "prices" in ${ws.loaded.path}, then run \`tokenledger reprice\`.`);
    }
  };
}
