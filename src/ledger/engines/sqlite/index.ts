import type { Ledger } from '../../ledger.js';
import { SqliteBudgets } from './budgets.js';
import { openDatabase } from './open.js';
import { SqliteReader } from './reader.js';
import { reprice } from './reprice.js';
import { SqliteWriter } from './writer.js';

/** The embedded ledger: one SQLite file, WAL mode, safe for several processes at once. */
export function openSqliteLedger(path: string): Ledger {
  const db = openDatabase(path);
  const budgets = new SqliteBudgets(db);
  const writer = new SqliteWriter(db, budgets);
  const reader = new SqliteReader(db);
  return {
    location: path,
    cursors: async () => writer.cursors(),
    commit: async (batches, checks) => writer.commit(batches, checks),
    setBudget: async (budget) => budgets.set(budget),
    removeBudget: async (namespace, scope, period) => budgets.remove(namespace, scope, period),
    budgets: async (namespace) => budgets.list(namespace),
    spend: async (filter) => budgets.spend(filter),
    priceVersionId: async (label) => writer.priceVersionId(label),
    reprice: async (id, price) => reprice(db, id, price),
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
