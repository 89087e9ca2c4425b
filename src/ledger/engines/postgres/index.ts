import type { Ledger } from '../../ledger.js';
import { describeLocation } from '../../location.js';
import type { OpenOptions } from '../../open-ledger.js';
import { LOCAL_RECORDER } from '../../recorder.js';
import { claimCrossing, listBudgets, listCrossings, readSpend, releaseCrossing, removeBudget, setBudget } from './budgets.js';
import { changes } from './changes.js';
import { readMark, setMark } from './marks.js';
import { connectPool, type PostgresLocation, postgresSettings } from './connect.js';
import { conversationCount, recentConversations } from './conversations.js';
import { readCursors } from './cursors.js';
import { days } from './days.js';
import { postgresError } from './errors.js';
import { peerSpend, recordFederation } from './federation.js';
import { Interner } from './intern.js';
import { migrate } from './migrate.js';
import { drops, hasStale, latestRateLimits, partitions, priceVersionId, projects, recorders, sessions } from './reader.js';
import { reprice } from './reprice.js';
import { serviceTierUses, tieredEvents } from './tiered.js';
import { inTransaction } from './transaction.js';
import { sessionEvents, sessionUsage, usage } from './usage.js';
import { PostgresWriter } from './writer.js';
import { admit } from './admission.js';
import { createKey, gatewayKeys, keyMeters, resetMeters, updateKey } from './gateway-keys.js';
import { dropReservations, reservedNanos } from './settlements.js';

/**
 * The team ledger on PostgreSQL: the tables of the SQLite engine in the location's schema, sums
 * kept by statement-level triggers, commits serialised per namespace by advisory locks. Every
 * failure a user can act on is told as the ledger's error naming the server, never the password.
 */
export async function openPostgresLedger(location: PostgresLocation, options: OpenOptions): Promise<Ledger> {
  const settings = postgresSettings(location);
  const resolved: PostgresLocation = { ...location, schema: settings.schema };
  // The schema is named once: by the URL when it carries it, else after it.
  const where = describeLocation(new URL(location.url).searchParams.has('schema') ? location : resolved);
  const pool = connectPool(settings);
  const told = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw postgresError(error, resolved);
    }
  };
  try {
    await told(() => migrate(pool, settings.schema, where));
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const recorder = options.recorder ?? LOCAL_RECORDER;
  const writer = new PostgresWriter(pool, settings.schema, recorder, new Interner());
  return {
    location: where,
    readOnly: false,
    cursors: (paths) => told(() => readCursors(pool, recorder.machine, paths)),
    commit: (batches, checks) => told(() => writer.commit(batches, checks)),
    setBudget: (budget) => told(() => setBudget(pool, budget)),
    removeBudget: (namespace, scope, period) => told(() => removeBudget(pool, namespace, scope, period)),
    claimCrossing: (crossing, at) => told(() => claimCrossing(pool, crossing, at)),
    releaseCrossing: (crossing) => told(() => releaseCrossing(pool, crossing)),
    recordFederation: (spends) => told(() => inTransaction(pool, (client) => recordFederation(client, spends))),
    budgets: (namespace) => told(() => listBudgets(pool, namespace)),
    spend: (filter) => told(() => readSpend(pool, filter)),
    crossings: (namespace, since) => told(() => listCrossings(pool, namespace, since)),
    peerSpend: (namespace, since, until) => told(() => peerSpend(pool, namespace, since, until)),
    latestRateLimits: (since) => told(() => latestRateLimits(pool, since)),
    priceVersionId: (label) => told(() => priceVersionId(pool, label)),
    reprice: (id, price) => told(() => reprice(pool, id, price)),
    usage: (filter, by) => told(() => usage(pool, filter, by)),
    conversationCount: (filter, gapMs) => told(() => conversationCount(pool, filter, gapMs)),
    conversations: (filter, gapMs, limit) => told(() => recentConversations(pool, filter, gapMs, limit)),
    sessionEvents: (namespace, agent, sessionId, since) => told(() => sessionEvents(pool, namespace, agent, sessionId, since)),
    tieredEvents: (filter) => told(() => tieredEvents(pool, filter)),
    serviceTierUses: () => told(() => serviceTierUses(pool)),
    sessionUsage: (filter) => told(() => sessionUsage(pool, filter)),
    days: (filter, zone) => told(() => days(pool, filter, zone)),
    // Days are summed from the day and quarter-hour tables when read: nothing to prepare.
    prepareDays: async () => {},
    sessions: (filter) => told(() => sessions(pool, filter)),
    projects: () => told(() => projects(pool)),
    recorders: () => told(() => recorders(pool)),
    partitions: () => told(() => partitions(pool)),
    drops: (limit) => told(() => drops(pool, limit)),
    hasStale: (id) => told(() => hasStale(pool, id)),
    changes: (after, limit) => told(() => changes(pool, after, limit)),
    mark: (name) => told(() => readMark(pool, name)),
    changePosition: () =>
      told(async () =>
        Number((await pool.query<{ position: string | null }>('SELECT greatest((SELECT max(change_seq) FROM events), (SELECT max(change_seq) FROM drops)) AS position')).rows[0]?.position ?? 0),
      ),
    ledgerId: () => told(async () => (await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'ledger_id'")).rows[0]?.value ?? ''),
    setMark: (name, position) => told(() => setMark(pool, name, position)),
    createKey: (key) => told(() => createKey(pool, key)),
    updateKey: (namespace, name, change) => told(() => updateKey(pool, namespace, name, change)),
    gatewayKeys: (namespace) => told(() => gatewayKeys(pool, namespace)),
    keyMeters: (namespace, names) => told(() => keyMeters(pool, namespace, names)),
    resetMeters: (namespace, names, at) => told(() => resetMeters(pool, namespace, names, at)),
    admit: (admission) => told(() => admit(pool, settings.schema, admission)),
    releaseReservations: (ids) => told(async () => void (await dropReservations(pool, ids))),
    expireReservations: (now) => told(() => dropReservations(pool, undefined, now)),
    reservedNanos: (namespace) => told(() => reservedNanos(pool, namespace)),
    close: () => pool.end(),
  };
}
