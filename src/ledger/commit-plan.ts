import { DEFAULT_NAMESPACE } from '../core/namespace.js';
import { billedTokens, type PricedEvent, type TokenCounts } from '../core/usage-event.js';
import { GATEWAY_AGENT } from './gateway-keys.js';
import type { CommitBatch, FileBatch, FileCursor, WrittenSpan } from './ledger.js';

/** What the ranking of copies looks at: an incoming event, or what an engine reads of a stored one. */
export type Ranked = TokenCounts & Pick<PricedEvent, 'agent' | 'occurredAt' | 'sidechain' | 'sessionId'>;

/**
 * The ledger's ranking of two copies of one dedup key, in plain code: a copy the gateway recorded
 * (agent `gateway`) over any other, whatever its tokens (the gateway saw the whole request and
 * knows its key; an agent's log of the same request counts once, under the key), then more billed tokens (the
 * final streamed line), then more output, then earlier, then main conversation over sidechain,
 * then the smaller session id. A total order, so the copy kept never depends on reading order.
 * The only ranking there is: engines apply it to stored copies too (`outranking`), never in SQL.
 */
export function outranks(a: Ranked, b: Ranked): boolean {
  const ga = a.agent === GATEWAY_AGENT;
  if (ga !== (b.agent === GATEWAY_AGENT)) return ga;
  const ta = billedTokens(a);
  const tb = billedTokens(b);
  if (ta !== tb) return ta > tb;
  if (a.outputTokens !== b.outputTokens) return a.outputTokens > b.outputTokens;
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt;
  const sa = a.sidechain === true ? 1 : 0;
  const sb = b.sidechain === true ? 1 : 0;
  if (sa !== sb) return sa < sb;
  return a.sessionId < b.sessionId;
}

/** Earliest first, then the smaller key: the order sidechain copies are written in. */
export function earliestFirst(a: PricedEvent, b: PricedEvent): number {
  return a.occurredAt - b.occurredAt || (a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0);
}

/**
 * The top-ranked entry of each dedup key (by `outranks` on its event), in the order keys first
 * appear, and how many copies lost. The one place copies are settled before SQL: reading lanes
 * and the writer's commit both come here.
 */
export function bestByKey<T>(entries: Iterable<T>, eventOf: (entry: T) => PricedEvent): { best: Map<string, T>; copies: number } {
  const best = new Map<string, T>();
  let copies = 0;
  for (const entry of entries) {
    const event = eventOf(entry);
    const held = best.get(event.dedupKey);
    if (held === undefined) best.set(event.dedupKey, entry);
    else {
      copies += 1;
      if (outranks(event, eventOf(held))) best.set(event.dedupKey, entry);
    }
  }
  return { best, copies };
}

/**
 * Keeps one copy of each dedup key across `batches` (the one `outranks` ranks first, in its own
 * batch) and removes the others in place; returns how many it removed. A commit of the settled
 * batches stores exactly what a commit of the unsettled ones would: a reading thread runs this
 * before committing, so copies of a streamed response never reach SQL.
 */
export function settleCopies(batches: readonly CommitBatch[]): number {
  const { best, copies } = bestByKey(
    batches.flatMap((b) => b.events),
    (event) => event,
  );
  if (copies === 0) return 0;
  for (const batch of batches) {
    const events = batch.events as PricedEvent[];
    let kept = 0;
    for (const event of events) if (best.get(event.dedupKey) === event) events[kept++] = event;
    events.length = kept;
  }
  return copies;
}

/**
 * Of `entries` whose dedup key is already stored (`stored`: the stored copy of each key, as the
 * engine read it), those that outrank the stored copy and so replace it; the rest are duplicates.
 * An entry whose key is not in `stored` is neither (the engine inserts it).
 */
export function outranking<T>(entries: Iterable<T>, stored: ReadonlyMap<string, Ranked>, eventOf: (entry: T) => PricedEvent): { replace: T[]; duplicates: number } {
  const replace: T[] = [];
  let duplicates = 0;
  for (const entry of entries) {
    const event = eventOf(entry);
    const held = stored.get(event.dedupKey);
    if (held === undefined) continue;
    if (outranks(event, held)) replace.push(entry);
    else duplicates += 1;
  }
  return { replace, duplicates };
}

/**
 * The order a commit writes its settled events in: main-conversation events first, then sidechain
 * copies earliest first. An event a commit inserts is then never replaced or removed by the same
 * commit, which keeps bulk sums exact.
 */
export function commitOrder<T>(entries: Iterable<T>, eventOf: (entry: T) => PricedEvent): T[] {
  const ordered: T[] = [];
  const sidechains: T[] = [];
  for (const entry of entries) (eventOf(entry).sidechain === true ? sidechains : ordered).push(entry);
  sidechains.sort((a, b) => earliestFirst(eventOf(a), eventOf(b)));
  ordered.push(...sidechains);
  return ordered;
}

/** The times `events` span in each namespace they are recorded into, and what they touch: what a commit's checks look at. */
export function writtenSpans(events: Iterable<PricedEvent>): Map<string, WrittenSpan> {
  const written = new Map<string, { firstAt: number; lastAt: number; agents: Set<string>; sessions: Map<string, Set<string>>; projects: Set<string> }>();
  for (const event of events) {
    const namespace = event.namespace ?? DEFAULT_NAMESPACE;
    let span = written.get(namespace);
    if (span === undefined) {
      span = { firstAt: event.occurredAt, lastAt: event.occurredAt, agents: new Set(), sessions: new Map(), projects: new Set() };
      written.set(namespace, span);
    } else {
      if (event.occurredAt < span.firstAt) span.firstAt = event.occurredAt;
      if (event.occurredAt > span.lastAt) span.lastAt = event.occurredAt;
    }
    span.agents.add(event.agent);
    span.projects.add(event.project);
    const agents = span.sessions.get(event.sessionId);
    if (agents === undefined) span.sessions.set(event.sessionId, new Set([event.agent]));
    else agents.add(event.agent);
  }
  return written;
}

/**
 * Another writer already committed this file at least as far as `batch` reaches: the batch is
 * skipped (every engine decides it under its lock on the file's cursor).
 */
export function alreadyCovered(stored: FileCursor, batch: FileBatch): boolean {
  const sameFile = stored.dev === batch.to.dev && stored.ino === batch.to.ino;
  if (!sameFile) return false;
  const movedByOther = batch.from === undefined || stored.offset !== batch.from.offset || stored.fingerprint !== batch.from.fingerprint;
  return movedByOther && stored.offset >= batch.to.offset;
}
