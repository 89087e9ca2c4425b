import { crossingMessage } from '../../budgets/crossing-message.js';
import { badArgument, describeError, EXIT } from '../../core/errors.js';
import { ZoneClock } from '../../core/zone-clock.js';
import { BlockTracker } from '../../live/block-tracker.js';
import { layout } from '../../live/layout.js';
import { runScreen } from '../../live/screen.js';
import { readLiveState } from '../../live/state.js';
import { processTerminal } from '../../live/terminal.js';
import { syncedSources } from '../../sources/index.js';
import { styleFor } from '../../sinks/table/style.js';
import { sync } from '../../sync/sync.js';
import { startFollower } from '../../watch/follower.js';
import { watchedFolders } from '../../watch/watch-folders.js';
import { resolveNamespace } from '../../app/namespace.js';
import { ledgerOptions } from '../../reports/options.js';
import { guardOptions, recordTarget, syncAndReport, withWorkspace } from '../workspace.js';
import { parseSessionLength } from '../../reports/blocks.js';
import { agentLabel } from './blocks-report.js';
import type { Runnable } from './command.js';

/** Notes (budget levels crossed, unreadable lines) kept for the status line. */
const KEPT_NOTES = 5;

/** `--interval`: seconds between refreshes, from 0.2 to an hour. */
function parseInterval(text: unknown): number {
  const seconds = typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 0.2 && seconds <= 3600)) throw badArgument(`--interval expects seconds from 0.2 to 3600, got "${String(text)}"`);
  return Math.round(seconds * 1000);
}

export const liveCommand: Runnable = {
  name: 'live',
  summary: 'full-screen view refreshed every second: today\u2019s spend, the active block, budgets, the costliest sessions (q quits)',
  configure(command) {
    ledgerOptions(command)
      .option('-z, --timezone <zone>', 'IANA time zone for "today" and budget periods (default: config "timezone", else the system zone)')
      .option('--interval <seconds>', 'seconds between refreshes', '1')
      .option('--session-length <hours>', 'block length in hours', '5')
      .option('--no-sync', 'only read the ledger: do not read new agent logs as they are written');
  },
  async run(io, _args, flags) {
    const intervalMs = parseInterval(flags.interval ?? '1');
    const sessionLengthMs = parseSessionLength(flags.sessionLength ?? '5');
    // Checked before the ledger is opened: without a terminal there is nothing to show.
    const term = processTerminal(io.stdout, io.stdin);
    const syncing = flags.sync !== false;
    return withWorkspace(
      flags,
      io,
      (loaded) => {
        const zone = (flags.timezone as string | undefined) ?? loaded.config.timezone;
        return {
          clock: zone === undefined ? ZoneClock.system(io.env) : new ZoneClock(zone),
          namespace: resolveNamespace(flags.namespace as string | undefined, 'live', io.env, loaded.config.namespace),
        };
      },
      async (ws, { clock, namespace }) => {
        // The first sync may be long: it runs before the full screen, with its progress bar and warnings.
        if (syncing) await syncAndReport(ws, flags.verbose === true);
        const guard = { ...guardOptions(ws), clock };
        const notes: string[] = [];
        const note = (text: string): void => {
          notes.push(text);
          if (notes.length > KEPT_NOTES) notes.shift();
        };
        const tracker = new BlockTracker();
        // Agent logs go to the sync partition, as the first sync put them. Then only the files the
        // kernel says changed are read (as `watch` does): an idle view reads the ledger, no folder.
        const { target, crossings } = recordTarget(ws);
        const sources = syncedSources(ws.loaded.config.sync?.skip);
        const follower = syncing
          ? startFollower({
              folders: watchedFolders(sources, io.env).map((f) => f.folder),
              catchUp: false,
              sync: (only) => sync({ sources, namespace: target.namespace, env: io.env, ledger: ws.ledger, pricer: ws.pricer, checks: target.checks, ...(only === undefined ? {} : { only }) }),
              onSynced: (report) => {
                if (report.drops.length > 0) note(`${report.drops.length} record(s) could not be read (tokenledger sync --verbose lists them)`);
              },
              // A ledger busy with another writer, say: nothing is lost, the follower tries again.
              onTrouble: (error) => note(`sync failed, trying again: ${describeError(error)}`),
            })
          : undefined;
        const refresh = async () => {
          for (const { level, status } of crossings.splice(0)) note(crossingMessage(level, status));
          return readLiveState(ws.ledger, { namespace, now: io.now(), guard, sessionLengthMs, notes: [...notes], tracker, plans: ws.loaded.config.plans });
        };
        try {
          await runScreen(term, {
            intervalMs,
            color: styleFor(io.stdout, io.env).bold('x') !== 'x',
            refresh,
            render: (state, size) => layout(state, size, { clock, sync: syncing, intervalMs, agentLabel }),
          });
        } catch (error) {
          // The terminal is back to normal by now: the error is readable.
          io.stderr.write(`tokenledger: the live view stopped: ${describeError(error)}\n`);
          return EXIT.failure;
        } finally {
          await follower?.stop();
        }
        return EXIT.ok;
      },
    );
  },
};
