import { EXIT, type ExitCode } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import type { Crossing } from '../../budgets/guard.js';
import type { Io } from '../io.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { copyWithRemote, openRemote, refuseSelf, remoteLocation, type CopyDirection, type RemoteCopyReport } from '../remote-copy.js';
import { reportCrossings, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';

const ABOUT: Record<CopyDirection, { summary: string; all: string }> = {
  push: {
    summary: 'send the events (and drops) this ledger has and the remote ledger lacks: a team ledger (postgres://…) or another ledger file',
    all: 'send everything from the start, not only what changed since the last push (the remote still counts nothing twice)',
  },
  pull: {
    summary: "bring the events (and drops) of a remote ledger (postgres://… or a ledger file) into this one, to report the team's figures locally",
    all: 'take everything from the start, not only what changed since the last pull (nothing is counted twice)',
  },
};

/** `push URL` and `pull URL`: one command each way, the same flags and report. */
export function copyCommand(direction: CopyDirection): Runnable {
  return {
    name: direction,
    summary: ABOUT[direction].summary,
    configure(command) {
      // Every namespace is copied: of the ledger options, only where the local ledger and config are.
      command
        .option('--db <path>', 'the local ledger file (default: $TOKENLEDGER_DB, else $XDG_DATA_HOME/tokenledger/ledger.db)')
        .option('--config <path>', 'config file (default: $TOKENLEDGER_CONFIG, else $XDG_CONFIG_HOME/tokenledger/config.json)')
        .argument('<remote>', 'the other ledger: postgres://user@host:5432/db (its password is never shown) or a ledger file path')
        .option('--all', ABOUT[direction].all)
        .option('-j, --json', 'print the result as JSON');
    },
    async run(io: Io, args, flags): Promise<ExitCode> {
      requirePersistentLedger(flags, io, direction);
      const remote = remoteLocation(args[0] ?? '', io.env);
      return withWorkspace(
        flags,
        io,
        () => undefined,
        async (ws) => {
          refuseSelf(ws, remote);
          const remoteLedger = await openRemote(remote, direction, ws.recorder);
          const crossings: Crossing[] = [];
          let report: RemoteCopyReport;
          try {
            report = await copyWithRemote(ws, remoteLedger, remote, direction, { all: flags.all === true, crossings });
          } finally {
            await remoteLedger.close();
            reportCrossings(ws, crossings);
          }
          if (flags.json === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          else io.stdout.write(`${terminalText(copySummary(report))}\n`);
          return EXIT.ok;
        },
      );
    },
  };
}

/** One line about a copy: `Pushed 12 events to <remote>: 10 new, 1 updated, 1 already there; 2 drops.` */
export function copySummary(r: RemoteCopyReport): string {
  const verb = r.direction === 'push' ? 'Pushed' : 'Pulled';
  const where = r.direction === 'push' ? `to ${r.remote}` : `from ${r.remote}`;
  if (r.sent === 0 && r.drops === 0) return `Nothing new to ${r.direction} ${where}.`;
  const events = `${r.sent} event${r.sent === 1 ? '' : 's'}`;
  const drops = r.drops === 0 ? '' : `; ${r.drops} dropped record${r.drops === 1 ? '' : 's'}`;
  return `${verb} ${events} ${where}: ${r.inserted} new, ${r.replaced} updated, ${r.duplicates} already there${drops}.`;
}
