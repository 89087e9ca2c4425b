import type { RateLimitSnapshot, TokenCounts } from '../../core/usage-event.js';

/** An event as the ledger stores it, names resolved: what tests compare. */
export interface InspectedEvent extends TokenCounts {
  dedupKey: string;
  namespace: string;
  agent: string;
  sessionId: string;
  project: string;
  model: string;
  occurredAt: number;
  costNanos: number;
  unpriced: boolean;
  sidechain: boolean;
  /** Absent for standard service. */
  serviceTier?: string;
}

/**
 * What tests look at inside a ledger beyond its contract, whatever the engine: the stored events
 * and whether the engine's sum tables still equal them. Each engine has one beside its code; tests
 * reach a ledger's content through it, never through the engine's SQL.
 */
export interface LedgerInspector {
  /** Every event of every namespace, ordered by dedup key. */
  events(): Promise<InspectedEvent[]>;
  eventCount(): Promise<number>;
  /**
   * How each sum table (usage by quarter hour, by UTC day, with prompt bands) differs from the
   * events summed again from scratch: one line per table that differs, none when the sums are exact.
   */
  sumMismatches(): Promise<string[]>;
  /**
   * Rows naming a row the ledger does not hold (an event's session, project, model, file or price
   * version; a drop's file): one line per kind found, none when every reference holds.
   */
  orphans(): Promise<string[]>;
  /** Every rate-limit reading kept, oldest first (the reader gives only the latest). */
  rateLimits(): Promise<RateLimitSnapshot[]>;
  /** The labels of the price versions the ledger holds, sorted. */
  priceVersions(): Promise<string[]>;
  close(): Promise<void>;
}

/** References every row must keep (engines may leave them to the writer rather than foreign keys). */
const REFERENCES: [string, string, string, string][] = [
  ['events', 'session_id', 'sessions', 'session'],
  ['events', 'project_id', 'projects', 'project'],
  ['events', 'model_id', 'models', 'model'],
  ['events', 'file_id', 'files', 'file or origin'],
  ['events', 'price_version_id', 'price_versions', 'price version'],
  ['drops', 'file_id', 'files', 'file or origin'],
];
/** One count per kind of row naming a row the ledger does not hold (SQL both engines run). */
export const ORPHANS = REFERENCES.map(
  ([table, column, target, name]) =>
    `SELECT '${table} naming a ${name} the ledger does not hold' AS what, count(*) AS n FROM ${table} r LEFT JOIN ${target} t ON t.id = r.${column} WHERE t.id IS NULL`,
).join(' UNION ALL ');
