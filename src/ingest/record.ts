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
  return recordOrigins(target, [{ origin, events, drops }]);
}

/** Events (and drops) of one origin, for `recordOrigins`. */
export interface OriginContent {
  origin: string;
  events: readonly UsageEvent[];
  drops: readonly DroppedRecord[];
}

/**
 * Like `recordEvents`, for what several origins sent in one piece (an OTLP request carrying more
 * than one agent's records): one transaction, each origin's events and drops filed under it.
 */
export async function recordOrigins(target: RecordTarget, parts: readonly OriginContent[]): Promise<RecordResult> {
  const { ledger, pricer } = target;
  const anyEvents = parts.some((p) => p.events.length > 0);
  const priceVersionId = anyEvents ? await ledger.priceVersionId(pricer.versionLabel) : 0;
  const batches = [];
  const unpriced = new Set<string>();
  for (const part of parts) {
    const placed = part.events.map((event) => ({ ...event, namespace: target.namespace }));
    const priced = placed.length === 0 ? [] : await pricer.priceAll(placed, priceVersionId);
    for (const e of priced) if (e.unpriced) unpriced.add(e.model);
    batches.push({ origin: part.origin, events: priced, rateLimits: [], drops: [...part.drops] });
  }
  const result = await ledger.commit(batches, target.checks);
  return { ...result, unpricedModels: [...unpriced].sort() };
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
