import { ledgerPath } from '../config/locations.js';
import { badArgument } from '../core/errors.js';
import type { Io } from './io.js';

/**
 * Refuses `:memory:` (from `--db` or `TOKENLEDGER_DB`) for a command whose point is what it writes
 * (a budget, ingested usage, new prices): in memory it would be gone when the command ends. Reports
 * still take `:memory:` (a one-off report from the agents' logs that keeps nothing).
 */
export function requirePersistentLedger(flags: { db?: string }, io: Io, command: string): void {
  if (ledgerPath(flags.db, io.env) !== ':memory:') return;
  throw badArgument(
    `'${command}' writes to the ledger, and a :memory: ledger keeps nothing once the command ends`,
    'give a ledger file with --db PATH (or TOKENLEDGER_DB), or leave both unset for the default ledger',
  );
}
