import type { Ledger } from '../../ledger.js';
import type { OpenOptions } from '../../open-ledger.js';
import { LOCAL_RECORDER, type Recorder } from '../../recorder.js';
import { SqliteBudgets } from './budgets.js';
import { SqliteChanges } from './changes.js';
import { DailyCache } from './daily-cache.js';
import { BUSY_TIMEOUT_MS, openDatabase, type Db } from './open.js';
import { readOnlySnapshot, type ReadOnlySnapshot } from './read-only-snapshot.js';
import { storeError } from './store-error.js';
import { SqliteReader } from './reader.js';
import { reprice } from './reprice.js';
import { serviceTierUses, tieredEvents } from './tiered-events.js';
import { UsageQuery } from './usage-query.js';
import { SqliteConversations } from './conversations.js';
import { SqliteFederation } from './federation.js';
import { SqliteWriter } from './writer.js';
import { SqliteGatewayKeys } from './gateway-keys.js';

/**
 * The embedded ledger: one SQLite file, WAL mode, safe for several processes at once. A write waits
 * `busyTimeoutMs` for another writer to let go (a status line waits far less than a sync).
 */
export function openSqliteLedger(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS, options: OpenOptions = {}): Ledger {
  const recorder = options.recorder ?? LOCAL_RECORDER;
  let db: Db;
  try {
    db = openDatabase(path, busyTimeoutMs, recorder);
  } catch (error) {
    // A ledger that exists but cannot be written here (a read-only mount, a folder of someone
    // else's) is still read: through a snapshot, since SQLite needs to write beside a WAL ledger.
    const snapshot = readOnlySnapshot(path, error, recorder);
    if (snapshot === undefined) throw error;
    return sqliteLedger(snapshot.db, path, busyTimeoutMs, snapshot, recorder);
  }
  return sqliteLedger(db, path, busyTimeoutMs, undefined, recorder);
}

/**
 * The ledger over an open database. Every method tells SQLite's failures a user can act on (a
 * ledger locked by another writer, a full disk) as the ledger's errors.
 */
export function sqliteLedger(db: Db, path: string, busyTimeoutMs = BUSY_TIMEOUT_MS, snapshot?: ReadOnlySnapshot, recorder: Recorder = LOCAL_RECORDER): Ledger {
  // The engine's work is synchronous (better-sqlite3): its failures are thrown right here.
  const told = async <T>(work: () => T): Promise<T> => {
    try {
      return work();
    } catch (error) {
      throw storeError(error, path, busyTimeoutMs);
    }
  };
  const budgets = new SqliteBudgets(db);
  const keys = new SqliteGatewayKeys(db, budgets);
  const writer = new SqliteWriter(db, budgets, keys, recorder);
  const daily = new DailyCache(db);
  const reader = new SqliteReader(db, daily);
  const usage = new UsageQuery(db);
  const conversations = new SqliteConversations(db);
  const federation = new SqliteFederation(db);
  const changes = new SqliteChanges(db);
  return {
    location: path,
    readOnly: snapshot !== undefined,
    cursors: async (paths) => told(() => writer.cursors(paths)),
    commit: async (batches, checks) => told(() => writer.commit(batches, checks)),
    setBudget: async (budget) => told(() => budgets.set(budget)),
    removeBudget: async (namespace, scope, period) => told(() => budgets.remove(namespace, scope, period)),
    claimCrossing: async (crossing, at) => told(() => budgets.claim(crossing, at)),
    releaseCrossing: async (crossing) => told(() => budgets.release(crossing)),
    recordFederation: async (spends) => told(() => federation.record(spends)),
    budgets: async (namespace) => told(() => budgets.list(namespace)),
    spend: async (filter) => told(() => budgets.spend(filter)),
    crossings: async (namespace, since) => told(() => budgets.crossings(namespace, since)),
    peerSpend: async (namespace, since, until) => told(() => federation.peers(namespace, since, until)),
    latestRateLimits: async (since) => told(() => reader.latestRateLimits(since)),
    priceVersionId: async (label) => told(() => writer.priceVersionId(label)),
    reprice: async (id, price) => told(() => reprice(db, id, price)),
    // A snapshot of a ledger that cannot be written keeps no cache: its days are summed when read.
    prepareDays: async (zone) => (snapshot === undefined ? told(() => daily.prepare(zone)) : undefined),
    usage: async (filter, by) => told(() => usage.usage(filter, by)),
    conversationCount: async (filter, gapMs) => told(() => conversations.count(filter, gapMs)),
    conversations: async (filter, gapMs, limit) => told(() => conversations.recent(filter, gapMs, limit)),
    sessionEvents: async (namespace, agent, sessionId, since) => told(() => usage.sessionEvents(namespace, agent, sessionId, since)),
    tieredEvents: async (filter) => told(() => tieredEvents(db, filter)),
    serviceTierUses: async () => told(() => serviceTierUses(db)),
    sessionUsage: async (filter) => told(() => reader.sessionUsage(filter)),
    days: async (filter, zone) => told(() => reader.days(filter, zone)),
    sessions: async (filter) => told(() => reader.sessions(filter)),
    projects: async () => told(() => reader.projects()),
    recorders: async () => told(() => reader.recorders()),
    partitions: async () => told(() => reader.partitions()),
    drops: async (limit) => told(() => reader.drops(limit)),
    hasStale: async (id) => told(() => reader.hasStale(id)),
    changes: async (after, limit) => told(() => changes.page(after, limit)),
    mark: async (name) => told(() => changes.mark(name)),
    changePosition: async () => told(() => Number(db.prepare("SELECT value FROM meta WHERE key = 'last_change'").pluck().get() ?? 0)),
    ledgerId: async () => told(() => db.prepare("SELECT value FROM meta WHERE key = 'ledger_id'").pluck().get() as string),
    setMark: async (name, position) => told(() => changes.setMark(name, position)),
    createKey: async (key) => told(() => keys.createKey(key)),
    updateKey: async (namespace, name, change) => told(() => keys.updateKey(namespace, name, change)),
    gatewayKeys: async (namespace) => told(() => keys.keys(namespace)),
    keyMeters: async (namespace, names) => told(() => keys.meters(namespace, names)),
    resetMeters: async (namespace, names, at) => told(() => keys.resetMeters(namespace, names, at)),
    admit: async (admission) => told(() => keys.admit(admission)),
    admitEach: async (admissions) => told(() => keys.admitEach(admissions)),
    releaseReservations: async (ids) => told(() => keys.releaseReservations(ids)),
    expireReservations: async (now) => told(() => keys.expireReservations(now)),
    reservedNanos: async (namespace) => told(() => keys.reservedNanos(namespace)),
    close: async () => {
      db.close();
      snapshot?.remove();
    },
  };
}
