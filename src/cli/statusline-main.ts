/**
 * The entry `bin/tokenledger` loads for `tokenledger statusline`: Claude Code runs it on every update,
 * so it loads only what the line needs (a bundle of its own), not every command. Its flags are read
 * here; anything else (`--help`, an unknown flag) goes to the full CLI, which says what is wrong.
 */
import type { ExitCode } from '../core/errors.js';
import { statuslineCommand } from './commands/statusline.js';
import { processIo, type Io } from './io.js';

const VALUED: Record<string, string> = { '--format': 'format', '--db': 'db', '--config': 'config', '--namespace': 'namespace', '-n': 'namespace' };

/** The statusline's flags from `args` (after the command's name); undefined for anything else. */
export function statuslineFlags(args: readonly string[]): Record<string, string> | undefined {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = VALUED[name];
    if (key === undefined) return undefined;
    const value = name !== arg ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) return undefined;
    flags[key] = value;
  }
  return flags;
}

/** Runs `tokenledger statusline …`; undefined when the full CLI must take the arguments. */
export async function runStatusline(args: readonly string[], io: Io): Promise<ExitCode | undefined> {
  const flags = statuslineFlags(args);
  if (flags === undefined) return undefined;
  try {
    return await statuslineCommand.run(io, [], flags);
  } catch {
    // A bad --format (said before stdin is read): the full CLI reports it, as every other error.
    return undefined;
  }
}

export async function main(): Promise<void> {
  const io = processIo();
  const code = await runStatusline(process.argv.slice(3), io);
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  // The full CLI's bundle, beside this one in dist/ (a path computed at run time stays out of this bundle).
  const full = (await import(new URL('./tokenledger.mjs', import.meta.url).href)) as typeof import('./main.js');
  process.exitCode = await full.runCli(process.argv.slice(2), io);
}
