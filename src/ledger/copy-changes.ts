import type { PricedEvent } from '../core/usage-event.js';
import type { BudgetCrossing, ChangePage, CommitCheck, Ledger, OriginBatch, StoredDrop, StoredEvent } from './ledger.js';

/**
 * Events per page: one read of the source, one commit to the target. Measured pushing 1,000,000
 * events into PostgreSQL: 20,000 a page about 69,000 events/s, 50,000 about 80,000 (a commit's
 * fixed costs amortised), 100,000 hardly more; into SQLite 67,000 and 72,000.
 */
export const COPY_PAGE_EVENTS = 50_000;
/**
 * Events per read of the source while it reads a page: each slice in its own turn of the event
 * loop, so reading the next page (synchronous on SQLite) fills the waits of the current commit.
 */
const SLICE_EVENTS = 2_000;

export interface CopyOptions {
  source: Ledger;
  target: Ledger;
  /** The source's change position to copy after (0: everything). */
  after: number;
  /** Names the target's origins: `<kind>:<machine>` (`push`, `pull`). */
  kind: string;
  /** The target's checks (budgets), run with every commit as with any other. */
  checks?: readonly CommitCheck[];
  pageEvents?: number;
  /** Called once the target has committed a page: `position` is the source's position after it. */
  committed?(position: number): Promise<void>;
}

export interface CopyResult {
  /** Events read from the source and offered to the target. */
  sent: number;
  inserted: number;
  replaced: number;
  /** Events the target already held as they are (or held a larger copy of). */
  duplicates: number;
  /** Drops sent (the target keeps each once). */
  drops: number;
  /** The source's change position after the last page copied. */
  position: number;
  /** Budget levels the target's commits recorded first. */
  crossings: BudgetCrossing[];
}

/**
 * Copies what `source` recorded or changed after a position into `target`, a page at a time,
 * through the target's own commit: its one dedup path decides what is new, so copying twice, or
 * from two copies of one ledger, counts nothing twice. Events keep their namespace and recorder;
 * their price version is the target's id of the same label. The next page is read while the
 * target commits the current one; `committed` hears a position only once the target holds it.
 */
export async function copyChanges(options: CopyOptions): Promise<CopyResult> {
  const { source, target, kind } = options;
  const limit = options.pageEvents ?? COPY_PAGE_EVENTS;
  const result: CopyResult = { sent: 0, inserted: 0, replaced: 0, duplicates: 0, drops: 0, position: options.after, crossings: [] };
  const versions = new Map<string, number>();
  let page = await readPage(source, options.after, limit);
  while (page.next !== result.position) {
    const reading = readPage(source, page.next, limit);
    // A failed commit ends the copy; the read already started must not fail unheard.
    reading.catch(() => undefined);
    const committed = await target.commit(await toBatches(page, kind, target, versions), options.checks);
    result.sent += page.events.length;
    result.inserted += committed.inserted;
    result.replaced += committed.replaced;
    result.duplicates += committed.duplicates;
    result.drops += page.drops.length;
    result.crossings.push(...committed.crossings);
    result.position = page.next;
    await options.committed?.(page.next);
    page = await reading;
  }
  return result;
}

/** Up to `limit` events (and the drops among them) after `after`, read a slice per turn of the event loop. */
async function readPage(source: Ledger, after: number, limit: number): Promise<ChangePage> {
  const page: ChangePage = { events: [], drops: [], next: after };
  while (page.events.length < limit) {
    await new Promise((resolve) => setImmediate(resolve));
    const slice = await source.changes(page.next, Math.min(SLICE_EVENTS, limit - page.events.length));
    for (const event of slice.events) page.events.push(event);
    for (const drop of slice.drops) page.drops.push(drop);
    if (slice.next === page.next) break;
    page.next = slice.next;
  }
  return page;
}

/** A page as origin batches of the target: one per machine the events or drops were recorded on. */
async function toBatches(page: ChangePage, kind: string, target: Ledger, versions: Map<string, number>): Promise<OriginBatch[]> {
  const batches = new Map<string, OriginBatch>();
  const batch = (origin: string): OriginBatch => {
    let b = batches.get(origin);
    if (b === undefined) batches.set(origin, (b = { origin, events: [], rateLimits: [], drops: [] }));
    return b;
  };
  for (const stored of page.events) {
    let id = versions.get(stored.priceVersion);
    if (id === undefined) versions.set(stored.priceVersion, (id = await target.priceVersionId(stored.priceVersion)));
    batch(`${kind}:${stored.recordedBy.machine}`).events.push(toPriced(stored, id));
  }
  for (const drop of page.drops) batch(dropOrigin(drop, kind)).drops.push({ path: drop.path, line: drop.line, reason: drop.reason });
  return [...batches.values()];
}

/**
 * The event as the target stores it: the page's own object given the target's price version id
 * (its label stays beside it, unread), since copying a million objects costs more than the commit.
 */
function toPriced(stored: StoredEvent, priceVersionId: number): PricedEvent {
  const event = stored as StoredEvent & { priceVersionId: number };
  event.priceVersionId = priceVersionId;
  return event;
}

/** Origins copied events and drops are filed under start with these. */
const COPIED = /^(push|pull):/;

/**
 * The origin a drop is filed under in the target: `<kind>:<machine>:<path>`, so the target still
 * names the file (and machine) it was found in; a drop that was itself copied keeps its origin.
 */
export function dropOrigin(drop: StoredDrop, kind: string): string {
  return COPIED.test(drop.path) ? drop.path : `${kind}:${drop.machine}:${drop.path}`;
}
