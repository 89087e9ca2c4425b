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
  run(io: Io, args: string[], flags: Record<string, unknown>): Promise<ExitCode>;
}
