import type { UsageEvent } from '../core/usage-event.js';
import type { CommitCheck, CommitResult, DroppedRecord, Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';

/** Where usage that does not come from a followed log file is recorded, and what each commit checks. */
export interface RecordTarget {
  ledger: Ledger;
  pricer: Pricer;
  /** The ledger partition the events' sessions belong to. */
  namespace: string;
  /** Run inside the commit's transaction (budget levels). */
  checks: readonly CommitCheck[];
}

/**
 * Prices `events` and commits them in one transaction, named after `origin` (`<kind>:<detail>`,
 * e.g. `ingest:stdin`). The ledger's dedup keys alone decide what was already recorded, so
 * recording the same events again changes nothing.
 */
export async function recordEvents(
  target: RecordTarget,
  origin: string,
  events: readonly UsageEvent[],
  drops: readonly DroppedRecord[] = [],
): Promise<CommitResult> {
  const { ledger, pricer } = target;
  const priceVersionId = events.length === 0 ? 0 : await ledger.priceVersionId(pricer.versionLabel);
  const placed = events.map((event) => ({ ...event, namespace: target.namespace }));
  const priced = placed.length === 0 ? [] : await pricer.priceAll(placed, priceVersionId);
  return ledger.commit([{ origin, events: priced, rateLimits: [], drops: [...drops] }], target.checks);
}
