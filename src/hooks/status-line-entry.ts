/**
 * Claude Code's `statusLine` setting, as tokenledger installs it: `{"type": "command", "command":
 * "<node> <tokenledger> statusline [flags]"}`. Only a status line of ours is ever replaced or removed.
 */
import { badArgument } from '../core/errors.js';
import type { EntryChange } from './settings-entries.js';
import type { HookFlags } from './hook-command-line.js';
import { shellLine } from './shell-word.js';

type Json = Record<string, unknown>;

/** The status line command: this node and this tokenledger by absolute path, and the flags given to `install`. */
export function statusLineCommand(node: string, bin: string, flags: HookFlags): string {
  return shellLine([
    node,
    bin,
    'statusline',
    ...(flags.db === undefined ? [] : ['--db', flags.db]),
    ...(flags.config === undefined ? [] : ['--config', flags.config]),
    ...(flags.namespace === undefined ? [] : ['--namespace', flags.namespace]),
  ]);
}

const OURS = /tokenledger(?:\.mjs)?['"]?\s+statusline(?=\s|$)/;

/** The command of the settings' status line when it is tokenledger's; undefined otherwise. */
export function ourStatusLine(settings: Json): string | undefined {
  const line = settings.statusLine;
  if (typeof line !== 'object' || line === null) return undefined;
  const command = (line as Json).command;
  return typeof command === 'string' && OURS.test(command) ? command : undefined;
}

const change = (action: EntryChange['action']): EntryChange => ({ event: 'statusLine', kind: 'statusline', action });

/**
 * Sets the status line to ours (a copy; the argument is left as it was). Another program's status
 * line is never replaced: that is a BAD_ARGUMENT naming it, before anything is written.
 */
export function installStatusLine(settings: Json, command: string, where: string): { settings: Json; changes: EntryChange[] } {
  const out = structuredClone(settings);
  const current = out.statusLine;
  const ours = ourStatusLine(out);
  if (current !== undefined && ours === undefined) {
    const theirs = typeof current === 'object' && current !== null && typeof (current as Json).command === 'string' ? `"${String((current as Json).command)}"` : JSON.stringify(current);
    throw badArgument(`${where} already has a status line, not tokenledger's (${theirs}); nothing was written`, 'remove its "statusLine" first, or install without --statusline');
  }
  if (ours === command) return { settings: out, changes: [change('kept')] };
  out.statusLine = { ...(typeof current === 'object' && current !== null ? (current as Json) : {}), type: 'command', command };
  return { settings: out, changes: [change(ours === undefined ? 'added' : 'updated')] };
}

/** Removes the status line when it is ours; another program's is kept. */
export function uninstallStatusLine(settings: Json): { settings: Json; changes: EntryChange[] } {
  const out = structuredClone(settings);
  if (ourStatusLine(out) === undefined) return { settings: out, changes: [] };
  delete out.statusLine;
  return { settings: out, changes: [change('removed')] };
}
