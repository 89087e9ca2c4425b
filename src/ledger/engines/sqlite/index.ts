import type { Ledger } from '../../ledger.js';
import { SqliteBudgets } from './budgets.js';
import { openDatabase } from './open.js';
import { SqliteReader } from './reader.js';
import { reprice } from './reprice.js';
import { serviceTierUses, tieredEvents } from './tiered-events.js';
import { UsageQuery } from './usage-query.js';
import { SqliteConversations } from './conversations.js';
import { SqliteFederation } from './federation.js';
import { SqliteWriter } from './writer.js';

/** The embedded ledger: one SQLite file, WAL mode, safe for several processes at once. */
export function openSqliteLedger(path: string): Ledger {
  const db = openDatabase(path);
  const budgets = new SqliteBudgets(db);
  const writer = new SqliteWriter(db, budgets);
  const reader = new SqliteReader(db);
  const usage = new UsageQuery(db);
  const conversations = new SqliteConversations(db);
  const federation = new SqliteFederation(db);
  return {
    location: path,
    cursors: async (paths) => writer.cursors(paths),
    commit: async (batches, checks) => writer.commit(batches, checks),
    setBudget: async (budget) => budgets.set(budget),
    removeBudget: async (namespace, scope, period) => budgets.remove(namespace, scope, period),
    claimCrossing: async (crossing, at) => budgets.claim(crossing, at),
    releaseCrossing: async (crossing) => budgets.release(crossing),
    recordFederation: async (spends) => federation.record(spends),
    budgets: async (namespace) => budgets.list(namespace),
    spend: async (filter) => budgets.spend(filter),
    crossings: async (namespace, since) => budgets.crossings(namespace, since),
    peerSpend: async (namespace, since, until) => federation.peers(namespace, since, until),
    latestRateLimits: async (since) => reader.latestRateLimits(since),
    priceVersionId: async (label) => writer.priceVersionId(label),
    reprice: async (id, price) => reprice(db, id, price),
    usage: async (filter, by) => usage.usage(filter, by),
    conversationCount: async (filter, gapMs) => conversations.count(filter, gapMs),
    conversations: async (filter, gapMs, limit) => conversations.recent(filter, gapMs, limit),
    sessionEvents: async (namespace, agent, sessionId, since) => usage.sessionEvents(namespace, agent, sessionId, since),
    tieredEvents: async (filter) => tieredEvents(db, filter),
    serviceTierUses: async () => serviceTierUses(db),
    sessionUsage: async (filter) => reader.sessionUsage(filter),
    days: async (filter, zone) => reader.days(filter, zone),
    sessions: async (filter) => reader.sessions(filter),
    projects: async () => reader.projects(),
    drops: async (limit) => reader.drops(limit),
    hasStale: async (id) => reader.hasStale(id),
    close: async () => {
      db.close();
    },
  };
}
