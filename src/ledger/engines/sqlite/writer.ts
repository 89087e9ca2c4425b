import { type CursorColumns, cursorFromRow, EVENT_COLUMNS as STORED_EVENT_COLUMNS } from '../../rows.js';
import type { PricedEvent, RateLimitSnapshot } from '../../../core/usage-event.js';
import { announceCommitted, runChecksSync } from '../../commit-checks.js';
import { alreadyCovered, bestByKey, commitOrder, outranking, writtenSpans, type Ranked } from '../../commit-plan.js';
import type { CommitBatch, CommitCheck, CommitResult, FileCursor } from '../../ledger.js';
import type { SqliteBudgets } from './budgets.js';
import type { Db } from './open.js';
import { DEFAULT_NAMESPACE } from '../../../core/namespace.js';
import type { Recorder } from '../../recorder.js';
import { SqliteRecorders } from './recorders.js';
import { RollupDelta } from './rollup-delta.js';
import type { Settlement } from '../../gateway-keys.js';
import type { SqliteGatewayKeys } from './gateway-keys.js';

/** The `agent` of rows of `files` that name an origin rather than a followed file. */
const ORIGIN_AGENT = '(origin)';

/** The engines' event columns, and the change position push and pull follow (SQLite numbers it in the writer). */
const EVENT_COLUMNS = [...STORED_EVENT_COLUMNS, 'change_seq'] as const;
/** Where the change position goes among the values of a row. */
const CHANGE = EVENT_COLUMNS.length - 1;

/** An event that met a stored copy of its key, with the values it would be written with. */
interface Conflict {
  event: PricedEvent;
  values: (string | number | null)[];
}

/** A stored copy as `storedCopies` reads it: id, key, the token counts, time, sidechain, session key, agent. */
type StoredCopy = [number, string, number, number, number, number, number, number, number, number, string, string];

interface ReplaySibling {
  id: number;
  dedup_key: string;
  sidechain: number;
  occurred_at: number;
}

export class SqliteWriter {
  readonly #db: Db;
  /** Interned ids, keyed by strings the readers already share between lines (no key building per event). */
  readonly #ids = { sessions: new Map<string, Map<string, Map<string, number>>>(), projects: new Map<string, number>(), models: new Map<string, Map<string, number>>() };
  /** One parameter array, refilled for every insert. */
  readonly #values: (string | number | null)[] = new Array(EVENT_COLUMNS.length).fill(null);
  readonly #stmt;

  readonly #budgets: SqliteBudgets;
  /** Who writes through this handle: new sessions are theirs (unless an event names its own), cursors their machine's. */
  readonly #recorder: Recorder;
  readonly #recorders: SqliteRecorders;
  /**
   * The next change position, taken inside the commit's transaction (one writer at a time, so
   * positions grow in commit order: a reader never sees a smaller one appear after a larger).
   */
  #nextChange = 0;

  readonly #keys: SqliteGatewayKeys;

  constructor(db: Db, budgets: SqliteBudgets, keys: SqliteGatewayKeys, recorder: Recorder) {
    this.#db = db;
    this.#keys = keys;
    this.#budgets = budgets;
    this.#recorder = recorder;
    this.#recorders = new SqliteRecorders(db);
    const placeholders = EVENT_COLUMNS.map(() => '?').join(', ');
    this.#stmt = {
      cursor: db.prepare('SELECT * FROM files WHERE machine = ? AND path = ?'),
      allCursors: db.prepare(`SELECT * FROM files WHERE machine = ? AND agent <> '${ORIGIN_AGENT}'`),
      // Origins share the files table so drops and events can name them; they carry no cursor.
      upsertOrigin: db
        .prepare(`
        INSERT INTO files (machine, path, agent, dev, ino, size, mtime_ms, offset, line_count, fingerprint, state, updated_at)
        VALUES (?, ?, '${ORIGIN_AGENT}', 0, 0, 0, 0, 0, 0, '', NULL, ?)
        ON CONFLICT (machine, path) DO UPDATE SET updated_at = excluded.updated_at
        RETURNING id`)
        .pluck(),
      upsertCursor: db.prepare(`
        INSERT INTO files (machine, path, agent, dev, ino, size, mtime_ms, ctime_ms, offset, line_count, fingerprint, state, updated_at)
        VALUES (@machine, @path, @agent, @dev, @ino, @size, @mtimeMs, @ctimeMs, @offset, @lineCount, @fingerprint, @state, @updatedAt)
        ON CONFLICT (machine, path) DO UPDATE SET agent = excluded.agent, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
          mtime_ms = excluded.mtime_ms, ctime_ms = excluded.ctime_ms, offset = excluded.offset, line_count = excluded.line_count,
          fingerprint = excluded.fingerprint, state = excluded.state, updated_at = excluded.updated_at
        RETURNING id`),
      insertEvent: db.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT (dedup_key) DO NOTHING`),
      // What the ranking (`outranks`) needs of the stored copies of a commit's conflicting keys.
      // Rows as arrays: building an object per row would cost more than the lookup.
      storedCopies: db
        .prepare(`
        SELECT e.id, e.dedup_key, e.input_tokens, e.output_tokens, e.reasoning_tokens, e.cache_write_5m_tokens, e.cache_write_1h_tokens,
               e.cache_read_tokens, e.occurred_at, e.sidechain, s.session_key, s.agent
        FROM json_each(?) k CROSS JOIN events e ON e.dedup_key = k.value JOIN sessions s ON s.id = e.session_id`)
        .raw(),
      // A stored copy replaced by one that outranks it (the triggers move its sums).
      updateEvent: db.prepare(
        `UPDATE events SET ${EVENT_COLUMNS.slice(1)
          .map((c) => `${c} = ?`)
          .join(', ')} WHERE id = ?`,
      ),
      // A message's keys are its replay key, alone or followed by ':' and a request id.
      replaySiblings: db.prepare("SELECT id, dedup_key, sidechain, occurred_at FROM events WHERE dedup_key >= ? AND dedup_key < ? || ';' AND replay_key = ? AND dedup_key <> ?"),
      sidechainCopies: db.prepare('SELECT id, replay_key, dedup_key FROM events WHERE sidechain = 1 AND replay_key IN (SELECT value FROM json_each(?))'),
      deleteEvent: db.prepare('DELETE FROM events WHERE id = ?'),
      sessionId: db.prepare('SELECT id FROM sessions WHERE namespace = ? AND agent = ? AND session_key = ?').pluck(),
      insertSession: db.prepare('INSERT INTO sessions (namespace, agent, session_key, recorder_id) VALUES (?, ?, ?, ?) RETURNING id').pluck(),
      projectId: db.prepare('SELECT id FROM projects WHERE path = ?').pluck(),
      insertProject: db.prepare('INSERT INTO projects (path) VALUES (?) RETURNING id').pluck(),
      modelId: db.prepare('SELECT id FROM models WHERE name = ? AND provider = ?').pluck(),
      insertModel: db.prepare('INSERT INTO models (name, provider) VALUES (?, ?) RETURNING id').pluck(),
      insertRateLimits: db.prepare('INSERT OR IGNORE INTO rate_limits (agent, session_key, occurred_at, windows, plan_type, limit_id) VALUES (?, ?, ?, ?, ?, ?)'),
      insertDrop: db.prepare('INSERT OR IGNORE INTO drops (file_id, line, reason, seen_at, change_seq) VALUES (?, ?, ?, ?, ?)'),
      // The last change position taken (events and drops share one counter): kept apart from the
      // rows, so a position is never taken twice, even when the row that had it was removed since.
      lastChange: db.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_change'").pluck(),
      setLastChange: db.prepare("UPDATE meta SET value = ? WHERE key = 'last_change'"),
      priceVersion: db.prepare('SELECT id FROM price_versions WHERE label = ?').pluck(),
      insertPriceVersion: db.prepare('INSERT INTO price_versions (label, created_at) VALUES (?, ?) ON CONFLICT (label) DO NOTHING'),
    };
  }

  /** This machine's cursors: another machine's file of the same path is another file. */
  cursors(paths?: readonly string[]): Map<string, FileCursor> {
    const map = new Map<string, FileCursor>();
    const machine = this.#recorder.machine;
    if (paths !== undefined) {
      for (const path of paths) {
        const row = this.#stmt.cursor.get(machine, path) as CursorRow | undefined;
        if (row !== undefined && row.agent !== ORIGIN_AGENT) map.set(row.path, cursorFromRow(row, row.offset));
      }
      return map;
    }
    for (const row of this.#stmt.allCursors.all(machine) as CursorRow[]) map.set(row.path, cursorFromRow(row, row.offset));
    return map;
  }

  commit(batches: readonly CommitBatch[], checks: readonly CommitCheck[] = []): CommitResult {
    const run = this.#db.transaction((list: readonly CommitBatch[]): CommitResult => {
      const result: CommitResult = { inserted: 0, replaced: 0, duplicates: 0, skipped: 0, crossings: [] };
      const entries: { event: PricedEvent; fileId: number }[] = [];
      const settlements: Settlement[] = [];
      const now = Date.now();
      const firstChange = (this.#stmt.lastChange.get() as number) + 1;
      this.#nextChange = firstChange;
      for (const b of list) {
        let fileId: number;
        if ('origin' in b) fileId = this.#stmt.upsertOrigin.get(this.#recorder.machine, b.origin, now) as number;
        else {
          const stored = this.#stmt.cursor.get(this.#recorder.machine, b.to.path) as CursorRow | undefined;
          if (stored !== undefined && alreadyCovered(cursorFromRow(stored, stored.offset), b)) {
            result.skipped += 1;
            continue;
          }
          fileId = this.#stmt.upsertCursor.pluck().get({
            ...b.to,
            machine: this.#recorder.machine,
            ctimeMs: b.to.ctimeMs ?? null,
            state: b.to.state === null || b.to.state === undefined ? null : JSON.stringify(b.to.state),
            updatedAt: now,
          }) as number;
        }
        for (const event of b.events) entries.push({ event, fileId });
        if (b.settlements !== undefined) settlements.push(...b.settlements);
        for (const snapshot of b.rateLimits) this.#writeRateLimits(snapshot);
        for (const drop of b.drops) if (this.#stmt.insertDrop.run(fileId, drop.line, drop.reason, now, this.#nextChange).changes === 1) this.#nextChange += 1;
      }
      // Copies of one request within this commit (streamed lines, subagent progress) are settled
      // here by the one ranking (`outranks`), so each key is written once.
      const { best, copies } = bestByKey(entries, (entry) => entry.event);
      result.duplicates += copies;
      const ordered = commitOrder(best.values(), (entry) => entry.event);
      this.#removeReplaysOf(ordered);
      const delta = new RollupDelta(this.#db);
      const conflicts: Conflict[] = [];
      for (const { event, fileId } of ordered) {
        // A sidechain copy is settled against the stored copies of its message as they stand.
        if (event.sidechain === true && event.replayKey !== undefined) this.#settleConflicts(conflicts, result, delta);
        this.#writeEvent(event, fileId, result, delta, conflicts);
      }
      this.#settleConflicts(conflicts, result, delta);
      delta.apply();
      if (this.#nextChange !== firstChange) this.#stmt.setLastChange.run(String(this.#nextChange - 1));
      // Gateway requests settle with their events, whether each was new, replaced or a duplicate.
      this.#keys.settle(settlements);
      // One writer at a time (an immediate transaction) meets the ledger's isolation rule.
      if (checks.length > 0)
        result.crossings = runChecksSync(checks, writtenSpans(ordered.map((entry) => entry.event)), {
          budgets: (namespace) => this.#budgets.list(namespace),
          spend: (filter) => this.#budgets.spend(filter),
          recordCrossing: (crossing) => this.#budgets.recordCrossing(crossing),
        });
      return result;
    });
    let result: CommitResult;
    try {
      result = run.immediate(batches);
    } catch (error) {
      this.#forgetIds();
      throw error;
    }
    announceCommitted(checks, result.crossings);
    return result;
  }

  priceVersionId(label: string): number {
    const existing = this.#stmt.priceVersion.get(label) as number | undefined;
    if (existing !== undefined) return existing;
    this.#stmt.insertPriceVersion.run(label, Date.now());
    return this.#stmt.priceVersion.get(label) as number;
  }

  /**
   * Main-conversation events supersede sidechain copies of their message stored by earlier
   * commits (one query for the whole commit).
   */
  #removeReplaysOf(ordered: readonly { event: PricedEvent }[]): void {
    const mains = new Map<string, string>();
    for (const { event } of ordered) if (event.sidechain !== true && event.replayKey !== undefined) mains.set(event.replayKey, event.dedupKey);
    if (mains.size === 0) return;
    const copies = this.#stmt.sidechainCopies.all(JSON.stringify([...mains.keys()])) as { id: number; replay_key: string; dedup_key: string }[];
    for (const copy of copies) if (mains.get(copy.replay_key) !== copy.dedup_key) this.#stmt.deleteEvent.run(copy.id);
  }

  #writeEvent(event: PricedEvent, fileId: number, result: CommitResult, delta: RollupDelta, conflicts: Conflict[]): void {
    const sidechain = event.sidechain === true ? 1 : 0;
    if (sidechain === 1 && event.replayKey !== undefined) {
      const siblings = this.#stmt.replaySiblings.all(event.replayKey, event.replayKey, event.replayKey, event.dedupKey) as ReplaySibling[];
      if (siblings.length > 0 && !this.#settleReplay(event, siblings)) {
        result.duplicates += 1;
        return;
      }
    }
    const sessionId = this.#sessionId(event.namespace ?? DEFAULT_NAMESPACE, event.agent, event.sessionId, event.recordedBy);
    const projectId = this.#projectId(event.project);
    const modelId = this.#modelId(event.model, event.provider);
    const values = this.#values;
    values[0] = event.dedupKey;
    values[1] = event.replayKey ?? null;
    values[2] = sidechain;
    values[3] = sessionId;
    values[4] = projectId;
    values[5] = modelId;
    values[6] = fileId;
    values[7] = event.occurredAt;
    values[8] = event.inputTokens;
    values[9] = event.outputTokens;
    values[10] = event.reasoningTokens;
    values[11] = event.cacheWrite5mTokens;
    values[12] = event.cacheWrite1hTokens;
    values[13] = event.cacheReadTokens;
    values[14] = event.costNanos;
    values[15] = event.priceVersionId;
    values[16] = event.unpriced ? 1 : 0;
    values[17] = event.serviceTier ?? null;
    values[18] = event.reportedCostNanos ?? null;
    if (!this.#insert(event, values, result, delta)) conflicts.push({ event, values: values.slice() });
  }

  /**
   * Inserts an event unless its key is stored; says whether it did. A written or replaced copy
   * takes the next change position; a duplicate leaves it for the next.
   */
  #insert(event: PricedEvent, values: (string | number | null)[], result: CommitResult, delta: RollupDelta): boolean {
    values[CHANGE] = this.#nextChange;
    // Values as arguments, not one array: the driver reads arguments faster than array elements.
    if (this.#stmt.insertEvent.run(...values).changes !== 1) return false;
    result.inserted += 1;
    this.#nextChange += 1;
    delta.add(event, values[3] as number, values[4] as number, values[5] as number);
    return true;
  }

  /**
   * Settles events whose key was already stored (and empties `conflicts`): the stored copies are
   * read in one query, and those an event outranks are replaced by it; the others stay.
   */
  #settleConflicts(conflicts: Conflict[], result: CommitResult, delta: RollupDelta): void {
    if (conflicts.length === 0) return;
    const rows = this.#stmt.storedCopies.all(JSON.stringify(conflicts.map((c) => c.event.dedupKey))) as StoredCopy[];
    const stored = new Map<string, Ranked & { id: number }>();
    for (const [id, key, input, output, reasoning, write5m, write1h, read, occurredAt, sidechain, session, agent] of rows) {
      stored.set(key, {
        id,
        inputTokens: input,
        outputTokens: output,
        reasoningTokens: reasoning,
        cacheWrite5mTokens: write5m,
        cacheWrite1hTokens: write1h,
        cacheReadTokens: read,
        occurredAt,
        sidechain: sidechain === 1,
        sessionId: session,
        agent,
      });
    }
    const { replace, duplicates } = outranking(conflicts, stored, (c) => c.event);
    result.duplicates += duplicates;
    for (const { event, values } of replace) {
      values[CHANGE] = this.#nextChange;
      this.#stmt.updateEvent.run(...values.slice(1), (stored.get(event.dedupKey) as { id: number }).id);
      result.replaced += 1;
      this.#nextChange += 1;
    }
    // Conflicts are settled before anything can remove a stored copy (a sidechain's replay
    // check), so every key is still stored; an event whose copy went is inserted all the same.
    for (const c of conflicts) if (!stored.has(c.event.dedupKey) && !this.#insert(c.event, c.values, result, delta)) result.duplicates += 1;
    conflicts.length = 0;
  }

  /**
   * A sidechain event whose message is stored under other keys: a copy of a message the main
   * conversation logged is a replay; among sidechain-only copies the earliest (then smallest key)
   * stands. Returns whether `event` should be written; copies it supersedes are removed.
   */
  #settleReplay(event: PricedEvent, siblings: ReplaySibling[]): boolean {
    if (siblings.some((s) => s.sidechain === 0)) return false;
    const wins = siblings.every((s) => event.occurredAt < s.occurred_at || (event.occurredAt === s.occurred_at && event.dedupKey < s.dedup_key));
    if (!wins) return false;
    for (const s of siblings) this.#stmt.deleteEvent.run(s.id);
    return true;
  }

  #writeRateLimits(s: RateLimitSnapshot): void {
    this.#stmt.insertRateLimits.run(s.agent, s.sessionId, s.occurredAt, JSON.stringify(s.windows), s.planType ?? null, s.limitId ?? null);
  }

  /** The session's row id; a new session is filed under `recordedBy`, else this handle's recorder. */
  #sessionId(namespace: string, agent: string, key: string, recordedBy: Recorder | undefined): number {
    let inNamespace = this.#ids.sessions.get(namespace);
    if (inNamespace === undefined) this.#ids.sessions.set(namespace, (inNamespace = new Map()));
    let byAgent = inNamespace.get(agent);
    if (byAgent === undefined) inNamespace.set(agent, (byAgent = new Map()));
    let id = byAgent.get(key);
    if (id === undefined) {
      id = (this.#stmt.sessionId.get(namespace, agent, key) as number | undefined) ?? (this.#stmt.insertSession.get(namespace, agent, key, this.#recorders.id(recordedBy ?? this.#recorder)) as number);
      byAgent.set(key, id);
    }
    return id;
  }

  #projectId(path: string): number {
    let id = this.#ids.projects.get(path);
    if (id === undefined) {
      id = (this.#stmt.projectId.get(path) as number | undefined) ?? (this.#stmt.insertProject.get(path) as number);
      this.#ids.projects.set(path, id);
    }
    return id;
  }

  #modelId(name: string, provider: string): number {
    let byProvider = this.#ids.models.get(provider);
    if (byProvider === undefined) this.#ids.models.set(provider, (byProvider = new Map()));
    let id = byProvider.get(name);
    if (id === undefined) {
      id = (this.#stmt.modelId.get(name, provider) as number | undefined) ?? (this.#stmt.insertModel.get(name, provider) as number);
      byProvider.set(name, id);
    }
    return id;
  }

  /** Ids cached during a transaction that rolled back may not exist. */
  #forgetIds(): void {
    this.#ids.sessions.clear();
    this.#ids.projects.clear();
    this.#ids.models.clear();
    this.#recorders.forget();
  }
}

interface CursorRow extends CursorColumns {
  offset: number;
}
