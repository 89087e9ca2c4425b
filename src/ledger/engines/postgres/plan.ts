import type { PricedEvent } from '../../../core/usage-event.js';
import { outranks } from '../../commit-plan.js';

/** A stored copy of an event, as far as deciding between copies needs it. */
export interface StoredCopy {
  /** Absent: written by the commit being planned. */
  id?: number;
  dedupKey: string;
  replayKey: string | null;
  sidechain: boolean;
  occurredAt: number;
  sessionKey: string;
  /** Who recorded it (a gateway copy outranks any other). */
  agent: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
}

/** What a commit writes: rows removed, stored rows replaced, new rows, and the copies that lost. */
export interface WritePlan<T> {
  deletes: number[];
  updates: { id: number; entry: T }[];
  inserts: T[];
  replaced: number;
  duplicates: number;
}

/**
 * Decides, in JavaScript and with the one ranking (`outranks`), what a commit of `ordered` (settled
 * entries in `commitOrder`) does against the stored copies of its keys and of its messages' replay
 * keys, exactly as the SQLite writer does statement by statement: main-conversation events remove
 * the sidechain replays of their message; a sidechain copy of a message stored under other keys is
 * a replay unless it is the earliest sidechain copy; a key already stored is replaced only by a copy
 * that outranks it. The caller holds the locks that keep `stored` current until it writes.
 */
export function planWrites<T>(ordered: readonly T[], eventOf: (entry: T) => PricedEvent, stored: readonly StoredCopy[]): WritePlan<T> {
  const byKey = new Map<string, StoredCopy>();
  const byReplay = new Map<string, Set<StoredCopy>>();
  const track = (copy: StoredCopy): void => {
    byKey.set(copy.dedupKey, copy);
    if (copy.replayKey !== null) {
      let set = byReplay.get(copy.replayKey);
      if (set === undefined) byReplay.set(copy.replayKey, (set = new Set()));
      set.add(copy);
    }
  };
  const untrack = (copy: StoredCopy): void => {
    byKey.delete(copy.dedupKey);
    if (copy.replayKey !== null) byReplay.get(copy.replayKey)?.delete(copy);
  };
  for (const copy of stored) track({ ...copy });

  const deletes = new Set<number>();
  const updates = new Map<string, { id: number; entry: T }>();
  const inserts = new Map<string, T>();
  let replaced = 0;
  let duplicates = 0;
  const remove = (copy: StoredCopy): void => {
    untrack(copy);
    if (copy.id === undefined) inserts.delete(copy.dedupKey);
    else {
      deletes.add(copy.id);
      updates.delete(copy.dedupKey);
    }
  };

  const mains = new Map<string, string>();
  for (const entry of ordered) {
    const event = eventOf(entry);
    if (event.sidechain !== true && event.replayKey !== undefined) mains.set(event.replayKey, event.dedupKey);
  }
  for (const copy of [...byKey.values()]) {
    if (copy.sidechain && copy.replayKey !== null && mains.has(copy.replayKey) && mains.get(copy.replayKey) !== copy.dedupKey) remove(copy);
  }

  for (const entry of ordered) {
    const event = eventOf(entry);
    const rk = event.replayKey;
    if (event.sidechain === true && rk !== undefined) {
      const upper = `${rk};`;
      const siblings = [...(byReplay.get(rk) ?? [])].filter((s) => s.dedupKey !== event.dedupKey && s.dedupKey >= rk && s.dedupKey < upper);
      if (siblings.length > 0) {
        const wins = !siblings.some((s) => !s.sidechain) && siblings.every((s) => event.occurredAt < s.occurredAt || (event.occurredAt === s.occurredAt && event.dedupKey < s.dedupKey));
        if (!wins) {
          duplicates += 1;
          continue;
        }
        for (const s of siblings) remove(s);
      }
    }
    const held = byKey.get(event.dedupKey);
    if (held === undefined) {
      inserts.set(event.dedupKey, entry);
      track(copyOf(event));
    } else if (outranks(event, asEvent(held))) {
      replaced += 1;
      untrack(held);
      if (held.id === undefined) inserts.set(event.dedupKey, entry);
      else updates.set(event.dedupKey, { id: held.id, entry });
      track({ ...copyOf(event), ...(held.id === undefined ? {} : { id: held.id }) });
    } else duplicates += 1;
  }
  return { deletes: [...deletes], updates: [...updates.values()], inserts: [...inserts.values()], replaced, duplicates };
}

function copyOf(event: PricedEvent): StoredCopy {
  return {
    dedupKey: event.dedupKey,
    replayKey: event.replayKey ?? null,
    sidechain: event.sidechain === true,
    occurredAt: event.occurredAt,
    sessionKey: event.sessionId,
    agent: event.agent,
    inputTokens: event.inputTokens,
    outputTokens: event.outputTokens,
    cacheWrite5mTokens: event.cacheWrite5mTokens,
    cacheWrite1hTokens: event.cacheWrite1hTokens,
    cacheReadTokens: event.cacheReadTokens,
  };
}

/** The fields `outranks` reads, of a stored copy. */
function asEvent(copy: StoredCopy): PricedEvent {
  return { ...copy, sessionId: copy.sessionKey, sidechain: copy.sidechain, replayKey: copy.replayKey ?? undefined } as unknown as PricedEvent;
}
