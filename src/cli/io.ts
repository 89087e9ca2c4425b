import type { Env } from '../sources/shared/roots.js';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: Env;
  /** Current time, epoch ms. */
  now(): number;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => Date.now() };
}

/** Width tables must fit: the terminal's, else COLUMNS; unlimited when writing to a file or pipe. */
export function terminalWidth(io: Io): number {
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined) return io.stdout.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isFinite(fromEnv) && fromEnv > 20 ? fromEnv : Number.POSITIVE_INFINITY;
}
