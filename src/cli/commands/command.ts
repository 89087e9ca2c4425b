import type { Command } from 'commander';
import type { ExitCode } from '../../core/errors.js';
import type { Io } from '../io.js';

/** One CLI command: the registry in `index.ts` lists them, `main.ts` wires them into the parser. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** The command run when no command is named. */
  isDefault?: boolean;
  /** Adds arguments and options. */
  configure(command: Command): void;
  /** Runs the command; absent for a command that only groups subcommands. */
  run?(io: Io, args: string[], flags: Record<string, unknown>): Promise<ExitCode>;
  /** Commands under this one (`tokenledger budget set …`). */
  subcommands?: readonly CommandSpec[];
}

/** A command that runs (not only a group of subcommands). */
export type Runnable = CommandSpec & Required<Pick<CommandSpec, 'run'>>;
