import { budgetGuard } from '../budgets/guard.js';
import { ZoneClock } from '../core/zone-clock.js';
import type { Admission, AdmitResult } from '../ledger/gateway-keys.js';
import type { CommitCheck, CommitResult, Ledger, CommitBatch } from '../ledger/ledger.js';
import type { LadderSettings } from './writer-protocol.js';

/**
 * The writes of the gateway's request path: admissions, releases, expiries and the group commit.
 * On PostgreSQL they go to the engine directly (it never blocks the event loop); on SQLite to a
 * worker thread with its own connection (`thread-writes.ts`), since a SQLite write blocks the
 * thread that makes it for as long as another writer holds the lock.
 */
export interface GatewayWrites {
  commit(batch: CommitBatch): Promise<CommitResult>;
  admit(admission: Admission): Promise<AdmitResult>;
  releaseReservations(ids: readonly string[]): Promise<void>;
  expireReservations(now: number): Promise<number>;
  close(): Promise<void>;
}

/** A ledger the gateway can work with: usage events and the gateway's own keys, meters and reservations. */
export type GatewayLedgerHandle = Ledger;

/**
 * The budget check every gateway commit runs, as every sync's does: the levels of the budget ladder
 * its usage reaches are recorded once per budget and period (`watch` sends the alerts).
 */
export function ladderCheck(ladder: LadderSettings): CommitCheck {
  return budgetGuard({ clock: new ZoneClock(ladder.timeZone, { trusted: true }), startOfWeek: ladder.startOfWeek, thresholds: ladder.thresholds, now: () => Date.now() });
}

/** The writes made on `ledger` itself (an engine that does not block the event loop). */
export function directWrites(ledger: GatewayLedgerHandle, ladder: LadderSettings): GatewayWrites {
  const checks = [ladderCheck(ladder)];
  return {
    commit: (batch) => ledger.commit([batch], checks),
    admit: (admission) => ledger.admit(admission),
    releaseReservations: (ids) => ledger.releaseReservations(ids),
    expireReservations: (now) => ledger.expireReservations(now),
    // The handle is the caller's: it closes it.
    close: async () => {},
  };
}
