import type { Crossing } from '../budgets/guard.js';
import { describeError } from '../core/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import { describeLocation, type LedgerLocation } from '../ledger/location.js';
import { Pusher } from '../watch/pusher.js';
import { copySummary } from './commands/copy-command.js';
import { copyWithRemote, openRemote } from './remote-copy.js';
import { reportCrossings, type Workspace } from './workspace.js';

/** Timings tests shorten. */
export interface WatchPushTuning {
  /** Least time between two pushes (default 2 s). */
  pushGapMs?: number;
  /** After a failed push, the next is tried this long after (default 60 s), if no change asks sooner. */
  pushRetryMs?: number;
}

/**
 * `watch --push URL`: after each recorded change, the ledger's new events go to the remote (as
 * `push` sends them), debounced, one push at a time. The remote is opened on the first push and
 * again after a failure; `stop` waits for a push in flight and closes it.
 */
export function startWatchPush(ws: Workspace, remote: LedgerLocation, say: (line: string) => void, verbose: boolean, tuning: WatchPushTuning = {}): Pusher & { close(): Promise<void> } {
  let remoteLedger: Ledger | undefined;
  const crossings: Crossing[] = [];
  const drop = async (): Promise<void> => {
    const open = remoteLedger;
    remoteLedger = undefined;
    await open?.close().catch(() => undefined);
  };
  const pusher = new Pusher({
    push: async () => {
      try {
        remoteLedger ??= await openRemote(remote, 'push', ws.recorder);
        const report = await copyWithRemote(ws, remoteLedger, remote, 'push', { crossings });
        if (verbose && report.sent + report.drops > 0) say(copySummary(report));
      } catch (error) {
        await drop();
        throw error;
      } finally {
        reportCrossings(ws, crossings);
      }
    },
    onTrouble: (error) => say(`tokenledger: cannot push to ${describeLocation(remote)} yet (${describeError(error)}); nothing is lost, pushing again on the next change or within a minute`),
    onRecovered: () => say(`tokenledger: pushing to ${describeLocation(remote)} again; sent what was recorded meanwhile`),
    gapMs: tuning.pushGapMs ?? 2_000,
    retryMs: tuning.pushRetryMs ?? 60_000,
  });
  return Object.assign(pusher, {
    close: async () => {
      await pusher.stop();
      await drop();
    },
  });
}
