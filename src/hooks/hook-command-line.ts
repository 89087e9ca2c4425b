import { shellLine } from './shell-word.js';

/** The two hook commands tokenledger installs. */
export type HookKind = 'stop' | 'guard';

/** Flags `hooks install` passes on to the hooks it writes. */
export interface HookFlags {
  db?: string;
  config?: string;
  namespace?: string;
}

/**
 * The command Claude Code runs: this node and this tokenledger, by absolute path (hooks run with
 * whatever PATH Claude Code has), then `hook <kind>` and the flags given to `install`.
 */
export function hookCommandLine(node: string, bin: string, kind: HookKind, flags: HookFlags): string {
  return shellLine([
    node,
    bin,
    'hook',
    kind,
    ...(flags.db === undefined ? [] : ['--db', flags.db]),
    ...(flags.config === undefined ? [] : ['--config', flags.config]),
    ...(flags.namespace === undefined ? [] : ['--namespace', flags.namespace]),
  ]);
}

const OURS = /tokenledger(?:\.mjs)?['"]?\s+hook\s+(stop|guard)(?=\s|$)/;

/** Which of tokenledger's hooks a command runs, whatever path or flags it was installed with. */
export function hookKindOf(command: unknown): HookKind | undefined {
  if (typeof command !== 'string') return undefined;
  return OURS.exec(command)?.[1] as HookKind | undefined;
}
