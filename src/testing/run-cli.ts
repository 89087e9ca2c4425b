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

/** The time commands run at against a fixture ledger, unless told otherwise. */
export const FIXTURE_NOW = Date.UTC(2025, 9, 10, 12);

/** The environment commands see against a fixture ledger: its agent roots, its ledger file, its config folder, UTC. */
export function fixtureEnv(ledger: FixtureLedger, env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), TZ: 'UTC', ...env };
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
    env: fixtureEnv(ledger, options.env),
    now: () => options.now ?? FIXTURE_NOW,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
