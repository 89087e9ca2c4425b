import type pg from 'pg';
import { DEFAULT_NAMESPACE } from '../../../core/namespace.js';
import type { PricedEvent } from '../../../core/usage-event.js';
import { announceCommitted, runChecksAsync } from '../../commit-checks.js';
import { bestByKey, commitOrder, writtenSpans } from '../../commit-plan.js';
import type { CommitBatch, CommitCheck, CommitResult, FileCursor } from '../../ledger.js';
import type { Recorder } from '../../recorder.js';
import { listBudgets, readSpend, recordCrossing } from './budgets.js';
import { alreadyCovered } from '../../commit-plan.js';
import { readCursors, writeCursors, writeOrigins } from './cursors.js';
import { copyEvents } from './copy-events.js';
import { deleteEvents, type EventRow, replaceEvents, storedCopies } from './event-rows.js';
import type { Interner } from './intern.js';
import { planWrites, type StoredCopy } from './plan.js';
import { writeDropsAndLimits } from './side-rows.js';
import { inTransaction } from './transaction.js';
import { isRetryable } from './errors.js';
import { settle } from './settlements.js';

type Entry = { event: PricedEvent; fileId: number };
/** What `#write` did: counts for the result, and how many of the commit's keys were stored. */
type Written = { inserted: number; replaced: number; duplicates: number; keysStored: number };

/**
 * Commits batches in one transaction per call. Isolation: transaction-scoped advisory locks, per
 * namespace written and per file cursor moved, are taken first in one sorted order (so writers
 * never wait on each other in a cycle); everything the commit decides (the cursor skip, which
 * stored copies it replaces, the spend its checks read) is read under them. The lock on change
 * positions comes last, once the commit only has writing and its checks left.
 */
export class PostgresWriter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly recorder: Recorder,
    private readonly interner: Interner,
  ) {}

  /** Whether the last commit found none of its keys stored (so the next one expects the same). */
  #unseen = true;

  async commit(batches: readonly CommitBatch[], checks: readonly CommitCheck[] = []): Promise<CommitResult> {
    // A key stored meanwhile by a writer outside this commit's locks (another namespace) fails the
    // insert as a unique violation: the commit runs again and finds it stored.
    const result = await inTransaction(this.pool, (client) => this.#attempt(client, batches, checks), {
      failed: () => this.interner.forget(),
      retryable: (error) => isRetryable(error) || (error as { code?: unknown }).code === '23505',
    });
    // Announced once durable, never from inside a transaction that may still fail or run again.
    announceCommitted(checks, result.crossings);
    return result;
  }

  async #attempt(client: pg.PoolClient, batches: readonly CommitBatch[], checks: readonly CommitCheck[]): Promise<CommitResult> {
    const result: CommitResult = { inserted: 0, replaced: 0, duplicates: 0, skipped: 0, crossings: [] };
    const machine = this.recorder.machine;
    const now = Date.now();
    await this.#lock(client, batches);

    // The cursor skip, batch by batch as if one after another (a later batch of the same file sees the earlier one's cursor).
    const filePaths = [...new Set(batches.flatMap((b) => ('origin' in b ? [] : [b.to.path])))];
    const stored = await readCursors(client, machine, filePaths);
    const applied: CommitBatch[] = [];
    const cursors = new Map<string, FileCursor>();
    for (const b of batches) {
      if (!('origin' in b)) {
        const held = stored.get(b.to.path);
        if (held !== undefined && alreadyCovered(held, b)) {
          result.skipped += 1;
          continue;
        }
        stored.set(b.to.path, b.to);
        cursors.set(b.to.path, b.to);
      }
      applied.push(b);
    }
    const fileIds = await writeCursors(client, machine, [...cursors.values()], now);
    const originIds = await writeOrigins(
      client,
      machine,
      applied.flatMap((b) => ('origin' in b ? [b.origin] : [])),
      now,
    );
    const fileIdOf = (b: CommitBatch): number => ('origin' in b ? originIds.get(b.origin) : fileIds.get(b.to.path)) as number;

    // Copies within the commit settled by the one ranking; then against the stored copies.
    const entries: { event: PricedEvent; fileId: number }[] = [];
    for (const b of applied) for (const event of b.events) entries.push({ event, fileId: fileIdOf(b) });
    const { best, copies } = bestByKey(entries, (entry) => entry.event);
    result.duplicates += copies;
    const ordered = commitOrder(best.values(), (entry) => entry.event);
    const keys = ordered.map((e) => e.event.dedupKey);
    const replays = (sidechain: boolean): string[] => [...new Set(ordered.flatMap(({ event: e }) => (e.replayKey === undefined || (e.sidechain === true) !== sidechain ? [] : [e.replayKey])))];
    const replayKeys = [replays(false), replays(true)] as const;
    const entryOf = applied.map((b) => ({ fileId: fileIdOf(b), batch: b }));
    // Most commits hold only keys the ledger has never stored (a push into a fresh ledger, a file
    // read on): then finding their stored copies costs more than the insert, so the commit plans
    // against the copies of its messages alone and lets the unique index tell. A key stored after
    // all fails the COPY: back to the savepoint, and the commit plans against every stored copy.
    const unseen = this.#unseen && keys.length > 0;
    if (unseen) await client.query('SAVEPOINT unseen');
    let written: Written;
    try {
      written = await this.#write(client, ordered, await storedCopies(client, unseen ? [] : keys, ...replayKeys), entryOf, now);
    } catch (error) {
      if (!unseen || (error as { code?: unknown }).code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT unseen');
      // Ids interned since the savepoint are gone with it.
      this.interner.forget();
      written = await this.#write(client, ordered, await storedCopies(client, keys, ...replayKeys), entryOf, now);
    }
    this.#unseen = written.keysStored === 0;
    result.duplicates += written.duplicates;
    result.replaced = written.replaced;
    result.inserted = written.inserted;

    // Gateway requests settle with their events, whether each was new, replaced or a duplicate.
    await settle(
      client,
      applied.flatMap((b) => b.settlements ?? []),
    );
    if (checks.length > 0) {
      result.crossings = await runChecksAsync(checks, writtenSpans(ordered.map((entry) => entry.event)), {
        budgets: (namespace) => listBudgets(client, namespace),
        spend: (filter) => readSpend(client, filter),
        recordCrossing: (crossing) => recordCrossing(client, crossing),
      });
    }
    return result;
  }

  /**
   * Plans the commit against `stored` and writes it: drops and rate limits, removed, replaced and
   * new events. Change positions are taken by one commit at a time, from here to its end (see changes.ts).
   */
  async #write(client: pg.PoolClient, ordered: readonly Entry[], stored: readonly StoredCopy[], batches: readonly { fileId: number; batch: CommitBatch }[], now: number): Promise<Written> {
    const plan = planWrites(ordered, (entry) => entry.event, stored);
    const rows = await this.#rows(client, [...plan.inserts, ...plan.updates.map((u) => u.entry)]);
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext('changes'))", [`tokenledger:${this.schema}`]);
    await writeDropsAndLimits(client, batches, now);
    await deleteEvents(client, plan.deletes);
    await replaceEvents(
      client,
      plan.updates.map((u) => ({ id: u.id, row: rows.get(u.entry) as EventRow })),
    );
    const inserted = await copyEvents(
      client,
      plan.inserts.map((entry) => rows.get(entry) as EventRow),
    );
    const keys = stored.length === 0 ? new Set<string>() : new Set(ordered.map((e) => e.event.dedupKey));
    return { inserted, replaced: plan.replaced, duplicates: plan.duplicates, keysStored: stored.filter((c) => keys.has(c.dedupKey)).length };
  }

  /** The commit's advisory locks: its namespaces' and its files', in one sorted order. */
  async #lock(client: pg.PoolClient, batches: readonly CommitBatch[]): Promise<void> {
    const namespaces = new Set<string>();
    for (const b of batches) for (const event of b.events) namespaces.add(event.namespace ?? DEFAULT_NAMESPACE);
    const locks = new Set([...namespaces].map((namespace) => `namespace:${namespace}`));
    for (const b of batches) {
      if (!('origin' in b)) locks.add(`file:${this.recorder.machine}\n${b.to.path}`);
    }
    if (locks.size === 0) return;
    const sorted = [...locks].sort();
    await client.query('SELECT count(pg_advisory_xact_lock(hashtext($1), hashtext(k))) FROM unnest($2::text[]) WITH ORDINALITY AS l(k, n)', [`tokenledger:${this.schema}`, sorted]);
  }

  /**
   * Interned ids of the entries to write: sessions carry the recorder of the handle, or the one the
   * event names. Each distinct tuple is looked up once (a commit holds many events per session).
   */
  async #rows(client: pg.PoolClient, entries: readonly Entry[]): Promise<Map<Entry, EventRow>> {
    const out = new Map<Entry, EventRow>();
    if (entries.length === 0) return out;
    const recorderOf = (e: PricedEvent): Recorder => e.recordedBy ?? this.recorder;
    const distinct = (key: (e: PricedEvent) => string, tuple: (e: PricedEvent) => (string | number)[]): (string | number)[][] => {
      const seen = new Map<string, (string | number)[]>();
      for (const { event } of entries) {
        const k = key(event);
        if (!seen.has(k)) seen.set(k, tuple(event));
      }
      return [...seen.values()];
    };
    const recorderKey = (e: PricedEvent): string => `${recorderOf(e).user}\0${recorderOf(e).machine}`;
    const sessionKey = (e: PricedEvent): string => `${e.namespace ?? DEFAULT_NAMESPACE}\0${e.agent}\0${e.sessionId}`;
    const modelKey = (e: PricedEvent): string => `${e.model}\0${e.provider}`;
    const recorders = await this.interner.ids(
      client,
      'recorders',
      ['user_name', 'machine'],
      ['text', 'text'],
      distinct(recorderKey, (e) => [recorderOf(e).user, recorderOf(e).machine]),
    );
    const sessions = await this.interner.ids(
      client,
      'sessions',
      ['namespace', 'agent', 'session_key', 'recorder_id'],
      ['text', 'text', 'text', 'int8'],
      distinct(sessionKey, (e) => [e.namespace ?? DEFAULT_NAMESPACE, e.agent, e.sessionId, recorders.get(recorderKey(e)) as number]),
      3,
    );
    const projects = await this.interner.ids(
      client,
      'projects',
      ['path'],
      ['text'],
      distinct(
        (e) => e.project,
        (e) => [e.project],
      ),
    );
    const models = await this.interner.ids(
      client,
      'models',
      ['name', 'provider'],
      ['text', 'text'],
      distinct(modelKey, (e) => [e.model, e.provider]),
    );
    for (const entry of entries) {
      const e = entry.event;
      out.set(entry, {
        event: e,
        fileId: entry.fileId,
        sessionId: sessions.get(sessionKey(e)) as number,
        projectId: projects.get(e.project) as number,
        modelId: models.get(modelKey(e)) as number,
      });
    }
    return out;
  }
}
