import { badArgument, EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { pollStateBase } from '../../config/locations.js';
import { terminalText } from '../../core/terminal-text.js';
import { recordEvents } from '../../ingest/record.js';
import { findTextTool, TEXT_TOOLS } from '../../ingest/text/index.js';
import type { TextTool } from '../../ingest/text/text-tool.js';
import { modelNotes } from '../../ingest/text/usage-events.js';
import { parseInterval } from '../../poll/interval.js';
import { PanePoller, type PollStep } from '../../poll/pane-poller.js';
import type { Io } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { reportBadLines } from '../text-ingest.js';
import { recordTarget, reportCrossings, withWorkspace, type Workspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { sleepUnlessStopped, stopOnSignals } from '../stop-signals.js';
import { warnAboutPrices } from '../../reports/price-notes.js';
import { reportContextOf } from '../report-context.js';

interface PollOptions {
  target: string;
  socket: string | undefined;
  tools: readonly TextTool[];
  intervalMs: number;
  once: boolean;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Reads every flag before the ledger is opened. */
function pollOptions(flags: Record<string, unknown>): PollOptions {
  const target = text(flags.tmuxTarget);
  if (target === undefined) throw badArgument('poll needs --tmux-target <target>', 'a target is session, session:window or session:window.pane, or a pane id like %3 (see `tmux list-panes -a`).');
  const tools = text(flags.tool);
  return {
    target,
    socket: text(flags.tmuxSocket),
    tools:
      tools === undefined
        ? TEXT_TOOLS
        : [
            ...new Set(
              tools
                .split(',')
                .filter((t) => t.trim() !== '')
                .map((t) => findTextTool(t)),
            ),
          ],
    intervalMs: parseInterval(flags.interval ?? '2s'),
    once: flags.once === true,
  };
}

/** Tells what a step found: with --once always, while looping only when it found something. */
function reportStep(ws: Workspace, poller: PanePoller, step: PollStep, once: boolean, verbose: boolean): void {
  const out = ws.io.stdout;
  if (once || step.usages.length + step.bad.length > 0) {
    out.write(
      `${poller.pane.name} (${poller.pane.paneId}): ${step.newLines} new line(s), ${step.usages.length} usage line(s): ` +
        `${step.inserted} recorded, ${step.duplicates} already recorded, ${step.bad.length} dropped.\n`,
    );
  }
  if (verbose || !once) for (const e of step.events) out.write(`  ${e.agent} ${e.model}: ${e.inputTokens} input, ${e.outputTokens} output\n`);
  reportBadLines(ws, `tmux ${poller.pane.name} line`, step.bad, verbose);
}

async function poll(ws: Workspace, options: PollOptions, flags: Record<string, unknown>): Promise<ExitCode> {
  const { target, crossings } = recordTarget(ws, text(flags.namespace));
  const flagModel = text(flags.model);
  const session = text(flags.session);
  const project = text(flags.project);
  const poller = await PanePoller.open({
    server: { ...(options.socket === undefined ? {} : { socket: options.socket }), env: ws.io.env },
    target: options.target,
    tools: options.tools,
    ...(flagModel === undefined ? {} : { flagModel }),
    ...(session === undefined ? {} : { sessionId: session }),
    ...(project === undefined ? {} : { project }),
    ledgerPath: pollStateBase(ws.location, ws.io.env),
    record: (origin, events, drops) => recordEvents(target, origin, events, drops),
    now: () => ws.io.now(),
  });
  const verbose = flags.verbose === true;
  const noted = new Set<string>();
  const unpriced = new Set<string>();
  let dropped = 0;
  const stop = options.once ? undefined : stopOnSignals();
  let gone = false;
  try {
    do {
      const step = await poller.step();
      if (step === undefined) {
        gone = true;
        break;
      }
      reportCrossings(ws, crossings);
      reportStep(ws, poller, step, options.once, verbose);
      for (const tool of options.tools) {
        for (const note of modelNotes(tool, step.usages, flagModel)) {
          if (noted.has(note.key)) continue;
          noted.add(note.key);
          // Notes quote model names read off a terminal pane: shown with control characters escaped.
          ws.io.stderr.write(`${note.text.split('\n').map(terminalText).join('\n')}\n`);
        }
      }
      for (const model of step.unpricedModels) unpriced.add(model);
      dropped += step.bad.length;
      if (stop !== undefined) await sleepUnlessStopped(options.intervalMs, stop.signal);
    } while (stop !== undefined && !stop.signal.aborted);
  } finally {
    stop?.dispose();
  }
  await warnAboutPrices(reportContextOf(ws), [...unpriced].sort());
  if (gone) {
    throw new TokenledgerError('IO', `tmux pane ${poller.pane.paneId} (${poller.pane.name}) is gone; stopped polling`, {
      hint: `Usage recorded before it closed is kept; the state stays in ${poller.statePath}.`,
    });
  }
  return dropped > 0 ? EXIT.partial : EXIT.ok;
}

export const pollCommand: Runnable = {
  name: 'poll',
  summary: 'record the usage lines a CLI prints in a tmux pane: captures the pane every --interval and records each new usage line once',
  configure(command) {
    ledgerOptions(command)
      .option('--tmux-target <target>', 'the tmux pane: session, session:window, session:window.pane or a pane id (%3)')
      .option('--tmux-socket <name-or-path>', "tmux server socket: a name (as tmux -L) or a path (as tmux -S); default: tmux's own ($TMUX inside tmux)")
      .option('--tool <names>', `text tools whose lines to read, comma-separated (${TEXT_TOOLS.map((t) => t.id).join(', ')}); default: all, the first that recognises a line reads it`)
      .option('--model <name>', "model of usage lines that name none (default: the tool's default model, else <tool>-unknown, unpriced)")
      .option('--session <id>', 'session the usage is recorded under (default: tmux-<tmux session>-<pane number>)')
      .option('--project <path>', "project the usage is recorded under (default: the pane's current folder)")
      .option('--interval <time>', 'time between captures: 500ms, 2s, 1m (bare numbers are seconds)', '2s')
      .option('--once', 'capture once, record, and exit');
  },
  async run(io: Io, _args, flags) {
    return withWorkspace(
      flags,
      io,
      () => pollOptions(flags),
      (ws, options) => poll(ws, options, flags),
    );
  },
};
