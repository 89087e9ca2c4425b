import type { ChangePage, StoredDrop } from '../../ledger.js';
import { STORED_EVENT_COLUMNS, type StoredEventRow, storedEventFromRow } from '../../rows.js';
import { LOCAL_RECORDER, type Recorder } from '../../recorder.js';
import type { Db } from './open.js';

type DropRaw = [number, string, number, string, string];

/**
 * Who recorded a stored event: its session's recorder (migration 8), shared by the session's
 * events as long as it is the same; a session not yet adopted (none) is the local one's.
 */
const recorders = new Map<string, Recorder>();
function recorderOf(user: string | null, machine: string | null): Recorder {
  if (user === null || machine === null) return LOCAL_RECORDER;
  const key = `${user}\0${machine}`;
  let recorder = recorders.get(key);
  if (recorder === undefined) recorders.set(key, (recorder = { user, machine }));
  return recorder;
}

/**
 * What a SQLite ledger recorded or changed after a change position (migration 9): events by
 * `change_seq`, which a replacement takes again, and drops by theirs (one counter for both).
 */
export class SqliteChanges {
  readonly #events;
  readonly #drops;
  readonly #mark;
  readonly #setMark;
  readonly #read;

  constructor(db: Db) {
    this.#read = db.transaction((after: number, limit: number) => this.#page(after, limit));
    this.#events = db
      .prepare(`
      SELECT ${STORED_EVENT_COLUMNS}
      FROM events e
      JOIN sessions s ON s.id = e.session_id
      LEFT JOIN recorders r ON r.id = s.recorder_id
      JOIN projects p ON p.id = e.project_id
      JOIN models m ON m.id = e.model_id
      JOIN price_versions v ON v.id = e.price_version_id
      WHERE e.change_seq > ? ORDER BY e.change_seq LIMIT ?`)
      .raw();
    this.#drops = db
      .prepare(`
      SELECT d.change_seq, f.path, d.line, d.reason, f.machine FROM drops d JOIN files f ON f.id = d.file_id
      WHERE d.change_seq > ? AND d.change_seq <= ? ORDER BY d.change_seq LIMIT ?`)
      .raw();
    this.#mark = db.prepare('SELECT position FROM marks WHERE name = ?').pluck();
    // A mark never goes back: of two copies racing, the one that got further stands.
    this.#setMark = db.prepare(`
      INSERT INTO marks (name, position, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position), updated_at = excluded.updated_at`);
  }

  /**
   * Events changed after `after` (at most `limit`) and the drops recorded up to the last of them
   * (when the events run out, those after; at most `limit` too, the page then ending at the last). Both reads see one snapshot (a read transaction),
   * so a commit between them cannot slip a position past the page.
   */
  page(after: number, limit: number): ChangePage {
    return this.#read(after, limit);
  }

  #page(after: number, limit: number): ChangePage {
    let rows = this.#events.all(after, limit) as StoredEventRow[];
    const lastEvent = rows.length === 0 ? after : rows[rows.length - 1]![0];
    const dropRows = this.#drops.all(after, rows.length === limit ? lastEvent : Number.MAX_SAFE_INTEGER, limit) as DropRaw[];
    const lastDrop = dropRows.length === 0 ? after : dropRows[dropRows.length - 1]![0];
    // A full list of drops ends the page at its last (the events after it come with the next page).
    if (dropRows.length === limit) rows = rows.filter((r) => r[0] <= lastDrop);
    return {
      events: rows.map((r) => storedEventFromRow(r, recorderOf(r[20], r[21]))),
      // Files of a ledger not yet adopted have no machine: the local one's.
      drops: dropRows.map((d): StoredDrop => ({ path: d[1], line: d[2], reason: d[3], machine: d[4] === '' ? LOCAL_RECORDER.machine : d[4] })),
      next: Math.max(rows.length === 0 ? after : rows[rows.length - 1]![0], lastDrop),
    };
  }

  mark(name: string): number {
    return (this.#mark.get(name) as number | undefined) ?? 0;
  }

  setMark(name: string, position: number): void {
    this.#setMark.run(name, position, Date.now());
  }
}
