import { TokenledgerError } from '../../../core/errors.js';
import type { Ledger } from '../../ledger.js';
import { describeLocation, type LedgerLocation } from '../../location.js';
import type { OpenOptions } from '../../open-ledger.js';

/** The team ledger on PostgreSQL. */
export async function openPostgresLedger(location: Extract<LedgerLocation, { engine: 'postgres' }>, _options: OpenOptions): Promise<Ledger> {
  throw new TokenledgerError('LEDGER_UNREACHABLE', `the PostgreSQL ledger at ${describeLocation(location)} is not available in this build`);
}
