import type { UsageEvent } from '../core/usage-event.js';
import type { CommitCheck, CommitResult, DroppedRecord, FederationResult, Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { PeerReport } from './normalized-event.js';

/** Where usage that does not come from a followed log file is recorded, and what each commit checks. */
export interface RecordTarget {
  ledger: Ledger;
  pricer: Pricer;
  /** The ledger partition the events' sessions belong to. */
  namespace: string;
  /** Run inside the commit's transaction (budget levels). */
  checks: readonly CommitCheck[];
}

export interface RecordResult extends CommitResult {
  /** Models of the events that no price matched (their tokens are counted at cost 0), sorted. */
  unpricedModels: string[];
}

/**
 * Prices `events` and commits them in one transaction, named after `origin` (`<kind>:<detail>`,
 * e.g. `ingest:stdin`). The ledger's dedup keys alone decide what was already recorded, so
 * recording the same events again changes nothing.
 */
export async function recordEvents(target: RecordTarget, origin: string, events: readonly UsageEvent[], drops: readonly DroppedRecord[] = []): Promise<RecordResult> {
  const { ledger, pricer } = target;
  const priceVersionId = events.length === 0 ? 0 : await ledger.priceVersionId(pricer.versionLabel);
  const placed = events.map((event) => ({ ...event, namespace: target.namespace }));
  const priced = placed.length === 0 ? [] : await pricer.priceAll(placed, priceVersionId);
  const result = await ledger.commit([{ origin, events: priced, rateLimits: [], drops: [...drops] }], target.checks);
  return { ...result, unpricedModels: [...new Set(priced.filter((e) => e.unpriced).map((e) => e.model))].sort() };
}

/**
 * Commits what one read of ingested records found: usage events with the drops (see
 * `recordEvents`), then federation reports, placed in the target's namespace. A part with nothing
 * in it is not committed and counts zero.
 */
export async function recordIngested(
  target: RecordTarget,
  origin: string,
  found: { events: readonly UsageEvent[]; spends: readonly PeerReport[]; drops: readonly DroppedRecord[] },
): Promise<{ events: CommitResult; spends: FederationResult }> {
  const { events, spends, drops } = found;
  const committed = events.length > 0 || drops.length > 0 ? await recordEvents(target, origin, events, drops) : { inserted: 0, replaced: 0, duplicates: 0, skipped: 0, crossings: [] };
  const reported = spends.length > 0 ? await target.ledger.recordFederation(spends.map((s) => ({ ...s, namespace: target.namespace }))) : { inserted: 0, updated: 0, duplicates: 0 };
  return { events: committed, spends: reported };
}
