import type { TokenCounts } from '../core/usage-event.js';

/**
 * What the metering gateway keeps in the ledger beside usage events: its keys, their meters and
 * the reservations that make budgets exact before money is spent. Every engine implements it
 * (`GatewayLedger`); the gateway, the `keys` command and the server read and write through it.
 *
 * A gateway request becomes an ordinary usage event: agent `gateway`, session id the key's name
 * (so a key's spend is the session scope of agent `gateway`, `key:<name>` in budgets), project the
 * key's project. Its meter and its reservations are settled in the transaction that commits that
 * event (`OriginBatch.settlements`), so a crash leaves both or neither.
 */

/** The agent id of events the gateway records. */
export const GATEWAY_AGENT = 'gateway';

/** A gateway key as the ledger keeps it: a hash of the secret, never the secret. */
export interface GatewayKey {
  namespace: string;
  /** Unique per namespace, also after revocation (a revoked key's history keeps its name). */
  name: string;
  /** SHA-256 of the secret, hex. Compared in constant time by whoever checks a secret. */
  secretHash: string;
  /** The secret's first characters (`tlk_AbCd`), to recognise it in lists; never enough to use it. */
  secretPrefix: string;
  /** Epoch ms. */
  createdAt: number;
  /** When it was revoked: it no longer authenticates. */
  revokedAt?: number;
  /** When its secret was last replaced (`keys rotate`). */
  rotatedAt?: number;
  /** Requests per minute it may make (absent: unlimited). */
  rpm?: number;
  /** Billed tokens per minute it may use (absent: unlimited). */
  tpm?: number;
  /** Project its events are filed under (absent: none). */
  project?: string;
}

/** What changes on a key (`keys revoke`, `keys rotate`); absent fields stay as they are. */
export interface KeyChange {
  secretHash?: string;
  secretPrefix?: string;
  revokedAt?: number;
  rotatedAt?: number;
}

/**
 * A key's meter since its last reset: the figures metering gateways report per key, plus the
 * ledger's disjoint token buckets. A reset starts a new epoch; the events stay in the ledger.
 */
export interface KeyMeter extends TokenCounts {
  namespace: string;
  name: string;
  /** Requests metered (each became one event). */
  promptCount: number;
  costNanos: number;
  /** The provider's own figure for the requests that reported one (OpenRouter's `usage.cost`). */
  reportedCostNanos: number;
  /** Epoch ms of the last metered request (absent: none since the reset). */
  lastActivityAt?: number;
  /** Epoch ms the current epoch started: the key's creation or its last reset. */
  resetAt: number;
}

/** One budget an admission is checked against: a `key:<name>` budget and its period now. */
export interface AllowanceCheck {
  budgetId: number;
  /** The budget period's key at admission (`periodWindow(...).key`); spend of another period is not counted. */
  periodKey: string;
  /** Start of that period (epoch ms; absent for `all`), for reading what was spent in it before the allowance existed. */
  periodStart?: number;
  /** End of that period (epoch ms, exclusive; absent for `all`): a settlement at or after it is not this period's spend. */
  periodEnd?: number;
  limitNanos: number;
}

/**
 * A request the gateway wants to send: reserve `amountNanos` (the most it can cost) against every
 * budget in `checks`, or refuse. Exact under concurrency on every engine: of N admissions racing
 * for the last dollar, exactly as many as fit are admitted, however many gateways share the ledger.
 */
export interface Admission {
  /** Unique id of the reservation (the gateway's request id). */
  id: string;
  namespace: string;
  key: string;
  amountNanos: number;
  checks: readonly AllowanceCheck[];
  /** Epoch ms. */
  at: number;
  /** A reservation not settled or released by then is dropped (its gateway crashed). */
  expiresAt: number;
}

export type AdmitResult =
  | { admitted: true }
  | {
      admitted: false;
      /** The budget that had no room. */
      budgetId: number;
      limitNanos: number;
      /** Settled spend of the period, and what other requests hold reserved. */
      spentNanos: number;
      reservedNanos: number;
    };

/**
 * What settles one metered request, committed with its event: the reservation (if one was
 * taken) is dropped, its budgets' spent sums grow by the real cost, the key's meter counts it.
 */
export interface Settlement {
  /** The admission's id; absent when no reservation was taken (a key without budgets). */
  reservationId?: string;
  namespace: string;
  key: string;
  costNanos: number;
  reportedCostNanos?: number;
  tokens: TokenCounts;
  /** Epoch ms the request finished. */
  at: number;
}

export interface GatewayLedger {
  /** Stores a new key; fails with KEY_EXISTS when the namespace has one of that name (revoked ones too). */
  createKey(key: GatewayKey): Promise<void>;
  /** Changes a key; false when there is no such key. */
  updateKey(namespace: string, name: string, change: KeyChange): Promise<boolean>;
  /** The keys of a namespace (revoked ones too), by name. */
  gatewayKeys(namespace: string): Promise<GatewayKey[]>;
  /** The meters of a namespace's keys (`names` only, when given), by name. */
  keyMeters(namespace: string, names?: readonly string[]): Promise<KeyMeter[]>;
  /** Starts a new meter epoch at `at` for `names` (every key of the namespace: `all`); returns how many. */
  resetMeters(namespace: string, names: readonly string[] | 'all', at: number): Promise<number>;
  /** Reserves or refuses (see `Admission`). */
  admit(admission: Admission): Promise<AdmitResult>;
  /**
   * `admit` of each in order, decided exactly as one by one, in one transaction where the engine
   * can; one that fails is undone alone and its error takes its place. Absent: call `admit`.
   */
  admitEach?(admissions: readonly Admission[]): Promise<(AdmitResult | Error)[]>;
  /** Drops reservations of requests that failed, were refused upstream or aborted (unknown ids are ignored). */
  releaseReservations(ids: readonly string[]): Promise<void>;
  /** Drops reservations that expired before `now`; returns how many. */
  expireReservations(now: number): Promise<number>;
  /** What each `key:` budget of a namespace holds reserved right now, by budget id. */
  reservedNanos(namespace: string): Promise<Map<number, number>>;
}
