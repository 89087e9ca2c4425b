import { describeLocation, parseLedgerLocation } from '../../ledger/location.js';
import type { Command } from 'commander';
import type { BudgetStatus } from '../../budgets/evaluate.js';
import type { Crossing } from '../../budgets/guard.js';
import { describeError, EXIT, TokenledgerError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import type { LoadedConfig } from '../../config/load.js';
import { DEFAULT_NAMESPACE } from '../../core/namespace.js';
import { blockReason } from '../../hooks/block-reason.js';
import { failClosed, FAIL_CLOSED_ENV } from '../../hooks/fail-mode.js';
import { nearLimitReason, nearLimitWhenLastSeen } from '../../hooks/last-known-level.js';
import { parseHookPayload, type HookPayload } from '../../hooks/payload.js';
import { recordTranscript } from '../../hooks/record-transcript.js';
import { usedUpBudgets } from '../../hooks/used-up.js';
import { claudeCode } from '../../sources/claude-code/index.js';
import { readStdin, type Io } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { ledgerOptions } from '../../reports/options.js';
import { dropLine, guardOptions, loadSettings, openWorkspace, recordTarget, reportCrossings, type Workspace } from '../workspace.js';
import type { CommandSpec } from './command.js';

interface HookFlags {
  db?: string;
  config?: string;
  namespace?: string;
  verbose?: boolean;
}

/**
 * Exit codes as Claude Code reads them: 0 go on; 1 go on, showing our warning to the user; 2
 * block (the guard only: a Stop hook exiting 2 would keep Claude from stopping).
 */
const PASS = EXIT.ok;
const PASS_WARNED = EXIT.alert;
const BLOCK = EXIT.usage;

/**
 * Records the session's new usage from its transcript; unreadable lines are told on stderr. Returns
 * the budget levels the new usage crossed (recorded in the ledger either way).
 */
async function record(ws: Workspace, payload: HookPayload, flags: HookFlags): Promise<Crossing[]> {
  const { target, crossings } = recordTarget(ws, flags.namespace);
  // The config leaves Claude Code's logs out of sync (`sync.skip`): the hook records nothing either.
  if (ws.loaded.config.sync?.skip.includes(claudeCode.id) === true) {
    if (flags.verbose === true) ws.io.stderr.write('tokenledger: not recording the transcript: the config leaves claude-code out of sync (sync.skip)\n');
    return crossings;
  }
  const report = await recordTranscript({ ...target, source: claudeCode, transcriptPath: payload.transcriptPath, env: ws.io.env });
  const err = ws.io.stderr;
  if (flags.verbose === true)
    err.write(`tokenledger: recorded ${report.inserted} new, ${report.replaced} updated event(s) from ${terminalText(payload.transcriptPath)} in ${report.durationMs.toFixed(0)} ms\n`);
  if (report.drops.length > 0) {
    const files = new Set(report.drops.map((d) => d.path)).size;
    err.write(`tokenledger: warning: ${report.drops.length} record(s) in ${files} transcript file(s) of this session could not be read and were skipped (run with --verbose to list them)\n`);
    if (flags.verbose === true) for (const d of report.drops) err.write(`${dropLine(d)}\n`);
  }
  return crossings;
}

/** One line: what went wrong (our own errors by their message alone). */
const describe = (error: unknown): string => (error instanceof TokenledgerError ? error.message : describeError(error));
const warn = (io: Io, what: string, error: unknown): void => void io.stderr.write(`tokenledger hook ${what}: ${terminalText(describe(error))}\n`);

/**
 * A hook must not fail on a word it does not know (exit 2 from a Stop hook keeps Claude from
 * stopping): unknown options and arguments are let through, then warned about.
 */
function hookOptions(command: Command): void {
  ledgerOptions(command).allowUnknownOption().allowExcessArguments();
}

/** Warns of the words ignored; true when there were any. */
function warnIgnored(io: Io, what: string, args: readonly string[]): boolean {
  if (args.length > 0) io.stderr.write(`tokenledger hook ${what}: ignored what it does not know: ${terminalText(args.join(' '))}\n`);
  return args.length > 0;
}

const stopCommand: CommandSpec = {
  name: 'stop',
  summary: "Claude Code Stop hook: record the session's new usage from the payload on stdin (never blocks)",
  configure: hookOptions,
  async run(io, args, flags: HookFlags) {
    let ws: Workspace | undefined;
    const ignored = warnIgnored(io, 'stop', args);
    try {
      const payload = parseHookPayload(await readStdin(io));
      ws = await openWorkspace(loadSettings(flags, io), flags, io);
      reportCrossings(ws, await record(ws, payload, flags));
      return ignored ? PASS_WARNED : PASS;
    } catch (error) {
      warn(io, 'stop', error);
      return PASS_WARNED;
    } finally {
      await ws?.ledger.close().catch(() => {});
    }
  },
};

const guardCommand: CommandSpec = {
  name: 'guard',
  summary: 'Claude Code UserPromptSubmit/PreToolUse hook: exit 2 (block) when a budget in scope is at HARD_STOP',
  configure: hookOptions,
  async run(io, args, flags: HookFlags) {
    let loaded: LoadedConfig | undefined;
    let ws: Workspace | undefined;
    let warned = warnIgnored(io, 'guard', args);
    try {
      const input = await readStdin(io);
      // The config first: it says whether a bad payload blocks.
      loaded = loadSettings(flags, io);
      const payload = parseHookPayload(input);
      ws = await openWorkspace(loaded, flags, io);
      let crossings: Crossing[] = [];
      try {
        crossings = await record(ws, payload, flags);
      } catch (error) {
        // The check still sees everything recorded before.
        warn(io, 'guard', error);
        warned = true;
      }
      const namespace = resolveNamespace(flags.namespace, 'sync', io.env, loaded.config.namespace);
      const folders = [payload.cwd, io.env.CLAUDE_PROJECT_DIR].filter((f): f is string => f !== undefined && f !== '');
      const subject = { agent: claudeCode.id, sessionId: payload.sessionId, user: ws.recorder.user, folders };
      let used: BudgetStatus[];
      try {
        used = await usedUpBudgets(ws.ledger, namespace, subject, guardOptions(ws));
      } catch (error) {
        // The spend cannot be read: a budget last seen at or near its hard stop blocks, whatever the fail mode.
        const near = await nearLimitWhenLastSeen(ws.ledger, namespace, subject, guardOptions(ws)).catch(() => []);
        if (near.length === 0) throw error;
        io.stderr.write(nearLimitReason(near, describe(error)));
        return BLOCK;
      }
      if (used.length > 0) {
        io.stderr.write(blockReason(used, { ...(namespace === DEFAULT_NAMESPACE ? {} : { namespace }), ...(flags.db === undefined ? {} : { db: describeLocation(parseLedgerLocation(flags.db)) }) }));
        // The reason says all; the levels crossed on the way are in the ledger.
        return BLOCK;
      }
      reportCrossings(ws, crossings);
      return warned ? PASS_WARNED : PASS;
    } catch (error) {
      if (failClosed(io.env, loaded?.config)) {
        io.stderr.write(
          `tokenledger: blocked, the budget guard cannot check the budgets and is set to fail closed: ${terminalText(describe(error))}\n` +
            `Fix the cause, or let work go on when the guard is broken: set "hooks": {"failClosed": false} in the config and unset ${FAIL_CLOSED_ENV}.\n`,
        );
        return BLOCK;
      }
      io.stderr.write(`tokenledger hook guard: cannot check the budgets, letting this through (fail open): ${terminalText(describe(error))}\n`);
      return PASS_WARNED;
    } finally {
      await ws?.ledger.close().catch(() => {});
    }
  },
};

/** `tokenledger hook stop|guard`: the commands Claude Code's hooks run (installed by `hooks install`). */
export const hookCommand: CommandSpec = {
  name: 'hook',
  summary: 'run as a Claude Code hook: stop (record usage), guard (block at HARD_STOP)',
  configure() {},
  subcommands: [stopCommand, guardCommand],
};
