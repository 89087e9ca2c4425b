import type { Env } from '../sources/shared/roots.js';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Standard input as a command reads it: chunks of bytes (or text), and whether it is a terminal. */
export interface InStream extends AsyncIterable<Uint8Array | string> {
  isTTY?: boolean;
}

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** Absent when the command runs with nothing to read (treated as empty input). */
  stdin?: InStream;
  env: Env;
  /** Current time, epoch ms. */
  now(): number;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, now: () => Date.now() };
}

/** Width tables must fit: the terminal's, else COLUMNS; unlimited when writing to a file or pipe. */
export function terminalWidth(io: Io): number {
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined) return io.stdout.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isFinite(fromEnv) && fromEnv > 20 ? fromEnv : Number.POSITIVE_INFINITY;
}

/** All of standard input as text (UTF-8); empty when there is none. */
export async function readStdin(io: Io): Promise<string> {
  if (io.stdin === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
