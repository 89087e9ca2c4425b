import type { Ledger } from '../../ledger.js';
import { openDatabase } from './open.js';
import { SqliteReader } from './reader.js';
import { reprice } from './reprice.js';
import { SqliteWriter } from './writer.js';

/** The embedded ledger: one SQLite file, WAL mode, safe for several processes at once. */
export function openSqliteLedger(path: string): Ledger {
  const db = openDatabase(path);
  const writer = new SqliteWriter(db);
  const reader = new SqliteReader(db);
  return {
    location: path,
    cursors: async () => writer.cursors(),
    commit: async (batch) => writer.commit(batch),
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
