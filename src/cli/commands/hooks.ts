import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { badArgument, EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { describeLocation, parseLedgerLocation } from '../../ledger/location.js';
import { packageRoot } from '../../core/package-root.js';
import { hookCommandLine, type HookFlags, type HookKind } from '../../hooks/hook-command-line.js';
import { installEntries, listEntries, uninstallEntries, HOOK_SLOTS, type EntryChange } from '../../hooks/settings-entries.js';
import { readSettings, writeSettings, type SettingsFile } from '../../hooks/settings-file.js';
import { installStatusLine, ourStatusLine, statusLineCommand, uninstallStatusLine } from '../../hooks/status-line-entry.js';
import { settingsPath, type SettingsScope } from '../../hooks/settings-location.js';
import type { Io } from '../io.js';
import type { CommandSpec } from './command.js';

interface HooksFlags {
  user?: boolean;
  project?: boolean;
  local?: boolean;
  dir?: string;
  db?: string;
  config?: string;
  namespace?: string;
  dryRun?: boolean;
  json?: boolean;
  statusline?: boolean;
}

type Entry = HookKind | 'statusline';

function chosenScope(flags: HooksFlags): SettingsScope {
  const chosen = (['user', 'project', 'local'] as const).filter((s) => flags[s] === true);
  if (chosen.length > 1) throw badArgument(`choose one of --user, --project and --local, got ${chosen.map((s) => `--${s}`).join(' and ')}`);
  const scope = chosen[0] ?? 'user';
  if (flags.dir !== undefined && scope === 'user') throw badArgument('--dir names a project folder: use it with --project or --local');
  return scope;
}

function targetFile(flags: HooksFlags, io: Io): { scope: SettingsScope; path: string } {
  const scope = chosenScope(flags);
  return { scope, path: settingsPath(scope, io.env, resolve(flags.dir ?? process.cwd())) };
}

/** Writes the result of an install or uninstall: what changed, where, and the backup. */
function finish(
  io: Io,
  flags: HooksFlags,
  verb: 'install' | 'uninstall',
  scope: SettingsScope,
  path: string,
  changes: EntryChange[],
  commands: Partial<Record<Entry, string>>,
  run: () => string | undefined,
): void {
  const changed = changes.some((c) => c.action !== 'kept');
  const backup = changed && flags.dryRun !== true ? run() : undefined;
  if (flags.json === true) {
    const entries = changes.map((c) => ({ event: c.event, kind: c.kind, action: c.action, ...(commands[c.kind] === undefined ? {} : { command: commands[c.kind] }) }));
    io.stdout.write(`${JSON.stringify({ file: path, scope, changed, dryRun: flags.dryRun === true, backup: backup ?? null, entries }, null, 2)}\n`);
    return;
  }
  if (!changed) {
    io.stdout.write(verb === 'install' ? `tokenledger's hooks are already installed in ${path}; nothing changed.\n` : `No tokenledger hooks in ${path}; nothing changed.\n`);
    return;
  }
  const lead = flags.dryRun === true ? `Would ${verb}` : verb === 'install' ? 'Installed' : 'Uninstalled';
  io.stdout.write(`${lead} tokenledger's Claude Code hooks ${verb === 'install' ? 'in' : 'from'} ${path}:\n`);
  for (const c of changes) {
    const slot = HOOK_SLOTS.find((s) => s.event === c.event && s.kind === c.kind);
    const event = slot?.matcher === undefined ? c.event : `${c.event} (${slot.matcher})`;
    io.stdout.write(`  ${event.padEnd(18)} ${c.action.padEnd(8)} ${commands[c.kind] ?? `hook ${c.kind}`}\n`);
  }
  if (backup !== undefined) io.stdout.write(`Backup of the file as it was: ${backup}\n`);
  else if (flags.dryRun !== true) io.stdout.write('(no file was there before, so there is no backup)\n');
}

/** Prints the settings a dry run would write, or writes them (with a backup) and says what changed. */
function apply(
  io: Io,
  flags: HooksFlags,
  verb: 'install' | 'uninstall',
  scope: SettingsScope,
  file: SettingsFile,
  result: { settings: Record<string, unknown>; changes: EntryChange[] },
  commands: Partial<Record<Entry, string>>,
): ExitCode {
  if (flags.dryRun === true && flags.json !== true) {
    io.stdout.write(file.serialize(result.settings));
    io.stderr.write(`(dry run: nothing was written to ${file.path})\n`);
    return EXIT.ok;
  }
  finish(io, flags, verb, scope, file.path, result.changes, commands, () => writeSettings(file, result.settings, io.now()));
  return EXIT.ok;
}

function scopeOptions(command: Command): Command {
  return command
    .option('--user', "the user's settings (default): settings.json in $CLAUDE_CONFIG_DIR, else ~/.claude/settings.json")
    .option('--project', "the project's shared settings: <dir>/.claude/settings.json")
    .option('--local', "the project's local settings: <dir>/.claude/settings.local.json")
    .option('--dir <path>', 'the project folder for --project and --local (default: the current folder)');
}

const installCommand: CommandSpec = {
  name: 'install',
  summary: "add tokenledger's Stop hook and budget guard to Claude Code's settings (merged, with a backup)",
  configure(command) {
    scopeOptions(command)
      .option('--db <path|url>', 'ledger the hooks use, a SQLite file or a postgres:// URL without a password (written into their command)')
      .option('--config <path>', 'config file the hooks use (written into their command)')
      .option('-n, --namespace <name>', 'ledger partition the hooks record into and check (written into their command)')
      .option('--statusline', 'also set Claude Code\u2019s status line to `tokenledger statusline` (never replaces another program\u2019s)')
      .option('--dry-run', 'print the settings as they would be written; write nothing')
      .option('-j, --json', 'print what was done as JSON');
  },
  async run(io, _args, flags: HooksFlags) {
    const { scope, path } = targetFile(flags, io);
    const hookFlags: HookFlags = {
      ...(flags.db === undefined ? {} : { db: hookLedger(flags.db) }),
      ...(flags.config === undefined ? {} : { config: resolve(flags.config) }),
      ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    };
    const bin = join(packageRoot(), 'bin', 'tokenledger');
    const commands: Record<HookKind, string> = {
      stop: hookCommandLine(process.execPath, bin, 'stop', hookFlags),
      guard: hookCommandLine(process.execPath, bin, 'guard', hookFlags),
    };
    const file = readSettings(path);
    const hooks = installEntries(file.settings, commands, path);
    if (flags.statusline !== true) return apply(io, flags, 'install', scope, file, hooks, commands);
    const statusline = statusLineCommand(process.execPath, bin, hookFlags);
    const line = installStatusLine(hooks.settings, statusline, path);
    return apply(io, flags, 'install', scope, file, { settings: line.settings, changes: [...hooks.changes, ...line.changes] }, { ...commands, statusline });
  },
};

const uninstallCommand: CommandSpec = {
  name: 'uninstall',
  summary: "remove tokenledger's hooks from Claude Code's settings (everything else is kept; with a backup)",
  configure(command) {
    scopeOptions(command)
      .option('--statusline', 'also remove the status line, when it is tokenledger\u2019s')
      .option('--dry-run', 'print the settings as they would be written; write nothing')
      .option('-j, --json', 'print what was done as JSON');
  },
  async run(io, _args, flags: HooksFlags) {
    const { scope, path } = targetFile(flags, io);
    const file = readSettings(path);
    const before: Partial<Record<Entry, string>> = Object.fromEntries(listEntries(file.settings, path).map((e) => [e.kind, e.command]));
    const statusline = ourStatusLine(file.settings);
    if (statusline !== undefined) before.statusline = statusline;
    const hooks = uninstallEntries(file.settings, path);
    if (flags.statusline !== true) return apply(io, flags, 'uninstall', scope, file, hooks, before);
    const line = uninstallStatusLine(hooks.settings);
    return apply(io, flags, 'uninstall', scope, file, { settings: line.settings, changes: [...hooks.changes, ...line.changes] }, before);
  },
};

const statusCommand: CommandSpec = {
  name: 'status',
  summary: "show which of Claude Code's settings files hold tokenledger's hooks",
  configure(command) {
    command.option('--dir <path>', 'the project folder whose settings to show (default: the current folder)').option('-j, --json', 'print JSON');
  },
  async run(io, _args, flags: HooksFlags) {
    const dir = resolve(flags.dir ?? process.cwd());
    const files = (['user', 'project', 'local'] as const).map((scope) => {
      const path = settingsPath(scope, io.env, dir);
      try {
        const file = readSettings(path);
        const statusline = ourStatusLine(file.settings);
        return { scope, file: path, exists: file.exists, entries: listEntries(file.settings, path), statusline: statusline ?? null };
      } catch (error) {
        return { scope, file: path, exists: true, entries: [], statusline: null, error: error instanceof Error ? error.message : String(error) };
      }
    });
    if (flags.json === true) {
      io.stdout.write(`${JSON.stringify({ files }, null, 2)}\n`);
      return EXIT.ok;
    }
    for (const f of files) {
      const parts = [...f.entries.map((e) => `${e.event}: hook ${e.kind}`), ...(f.statusline === null ? [] : ['statusLine: statusline'])];
      const state = 'error' in f ? `cannot read: ${f.error}` : !f.exists ? 'no file' : parts.length === 0 ? 'no tokenledger hooks' : parts.join(', ');
      io.stdout.write(`${f.scope.padEnd(8)} ${f.file}: ${state}\n`);
    }
    return EXIT.ok;
  },
};

/** `tokenledger hooks install|uninstall|status`: Claude Code's settings for the `hook` commands. */
export const hooksCommand: CommandSpec = {
  name: 'hooks',
  summary: "install or remove tokenledger's Claude Code hooks (Stop: record usage; guard: block at HARD_STOP)",
  configure() {},
  subcommands: [installCommand, uninstallCommand, statusCommand],
};

/**
 * The ledger written into the hooks' command: a file's absolute path, or a server's URL as given.
 * Agent settings files are not secret stores: a URL holding a password is refused.
 */
function hookLedger(given: string): string {
  const location = parseLedgerLocation(given);
  if (location.engine === 'sqlite') return resolve(location.path);
  if (new URL(location.url).password !== '' || /[?&]password=/i.test(location.url)) {
    throw new TokenledgerError('BAD_ARGUMENT', `the ledger URL ${describeLocation(location)} holds a password, which would be written into the agent's settings`, {
      hint: 'give the URL without its password and put the password in ~/.pgpass or PGPASSWORD for the hooks',
    });
  }
  return location.url;
}
