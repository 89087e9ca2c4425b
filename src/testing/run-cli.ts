import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { Io } from '../cli/io.js';
import { runCli } from '../cli/main.js';
import type { FixtureLedger } from './fixture-ledger.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs tokenledger in-process against a fixture ledger (its agent roots, its ledger file, its own
 * config folder), at a fixed `now` and in UTC unless `env` says otherwise.
 */
export async function runCliOn(ledger: FixtureLedger, args: readonly string[], options: { env?: Record<string, string | undefined>; now?: number; stdin?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(options.stdin)]) }),
    env: { ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), TZ: 'UTC', ...options.env },
    now: () => options.now ?? Date.UTC(2025, 9, 10, 12),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
