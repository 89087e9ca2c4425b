import { TokenledgerError } from '../core/errors.js';
import { hookKindOf, type HookKind } from './hook-command-line.js';

/** Where each of tokenledger's hooks goes: the event, its kind and (for tool events) the matcher. */
export const HOOK_SLOTS: readonly { event: string; kind: HookKind; matcher?: string }[] = [
  { event: 'Stop', kind: 'stop' },
  { event: 'UserPromptSubmit', kind: 'guard' },
  // `*` matches every tool.
  { event: 'PreToolUse', kind: 'guard', matcher: '*' },
];

/** Seconds Claude Code gives each hook before cancelling it (a cancelled hook never blocks). */
export const HOOK_TIMEOUT_SECONDS = 30;

type Json = Record<string, unknown>;

export interface EntryChange {
  event: string;
  /** A hook, or the status line (`statusLine`, `status-line-entry.ts`). */
  kind: HookKind | 'statusline';
  /** added: a new entry; updated: an entry of ours given the new command; kept: already as wanted; removed. */
  action: 'added' | 'updated' | 'kept' | 'removed';
}

/**
 * Adds tokenledger's entries to a settings document (a copy; the argument is left as it was).
 * Everything else is kept as it is; an entry of ours already there (recognised by its command)
 * is updated in place, so installing twice changes nothing.
 */
export function installEntries(settings: Json, commands: Record<HookKind, string>, where: string): { settings: Json; changes: EntryChange[] } {
  const out = structuredClone(settings);
  const hooks = hooksObject(out, where, true) as Json;
  const changes: EntryChange[] = [];
  for (const slot of HOOK_SLOTS) {
    const groups = eventGroups(hooks, slot.event, where, true) as unknown[];
    const wanted = { type: 'command', command: commands[slot.kind], timeout: HOOK_TIMEOUT_SECONDS };
    const found = ourHooks(groups, slot.kind);
    const first = found[0];
    if (first === undefined) {
      groups.push({ ...(slot.matcher === undefined ? {} : { matcher: slot.matcher }), hooks: [wanted] });
      changes.push({ event: slot.event, kind: slot.kind, action: 'added' });
      continue;
    }
    const same = first.hook.command === wanted.command && first.hook.timeout === wanted.timeout && found.length === 1;
    first.hook.command = wanted.command;
    first.hook.timeout = wanted.timeout;
    // Copies of ours beyond the first would run the hook twice.
    removeHooks(groups, found.slice(1));
    changes.push({ event: slot.event, kind: slot.kind, action: same ? 'kept' : 'updated' });
  }
  return { settings: out, changes };
}

/** Removes tokenledger's entries, and the arrays and objects only they filled. */
export function uninstallEntries(settings: Json, where: string): { settings: Json; changes: EntryChange[] } {
  const out = structuredClone(settings);
  const hooks = hooksObject(out, where, false);
  const changes: EntryChange[] = [];
  if (hooks === undefined) return { settings: out, changes };
  for (const event of Object.keys(hooks)) {
    const groups = eventGroups(hooks, event, where, false);
    if (groups === undefined) continue;
    for (const kind of ['stop', 'guard'] as const) {
      const found = ourHooks(groups, kind);
      if (found.length === 0) continue;
      removeHooks(groups, found);
      for (let i = 0; i < found.length; i++) changes.push({ event, kind, action: 'removed' });
    }
    if (groups.length === 0 && changes.some((c) => c.event === event)) delete hooks[event];
  }
  if (Object.keys(hooks).length === 0 && changes.length > 0) delete out.hooks;
  return { settings: out, changes };
}

/** tokenledger's entries in a settings document, by event. */
export function listEntries(settings: Json, where: string): { event: string; kind: HookKind; command: string }[] {
  const hooks = hooksObject(settings, where, false);
  if (hooks === undefined) return [];
  const out: { event: string; kind: HookKind; command: string }[] = [];
  for (const event of Object.keys(hooks)) {
    const groups = eventGroups(hooks, event, where, false) ?? [];
    for (const kind of ['stop', 'guard'] as const) for (const { hook } of ourHooks(groups, kind)) out.push({ event, kind, command: hook.command as string });
  }
  return out;
}

interface Found {
  group: Json;
  hook: Json;
}

/** Command hooks of `kind` in an event's matcher groups (groups of another shape are left alone). */
function ourHooks(groups: readonly unknown[], kind: HookKind): Found[] {
  const found: Found[] = [];
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group.hooks)) continue;
    for (const hook of group.hooks) if (isObject(hook) && hook.type === 'command' && hookKindOf(hook.command) === kind) found.push({ group, hook });
  }
  return found;
}

/** Removes hooks from their groups, and the groups they leave empty. */
function removeHooks(groups: unknown[], found: readonly Found[]): void {
  for (const { group, hook } of found) {
    const list = group.hooks as unknown[];
    list.splice(list.indexOf(hook), 1);
    if (list.length === 0) groups.splice(groups.indexOf(group), 1);
  }
}

function hooksObject(settings: Json, where: string, create: boolean): Json | undefined {
  if (settings.hooks === undefined) {
    if (!create) return undefined;
    settings.hooks = {};
  }
  if (!isObject(settings.hooks)) throw shapeError(where, '"hooks" is not an object');
  return settings.hooks;
}

function eventGroups(hooks: Json, event: string, where: string, create: boolean): unknown[] | undefined {
  if (hooks[event] === undefined) {
    if (!create) return undefined;
    hooks[event] = [];
  }
  const groups = hooks[event];
  if (!Array.isArray(groups)) throw shapeError(where, `"hooks.${event}" is not an array`);
  return groups;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeError(where: string, what: string): TokenledgerError {
  return new TokenledgerError('BAD_INPUT', `${where}: ${what}, as Claude Code's settings need; nothing was changed`, {
    hint: 'fix the file by hand (or move it away), then run the command again',
  });
}
