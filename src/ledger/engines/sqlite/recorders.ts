import type { Recorder } from '../../recorder.js';
import { ADOPT_KEY } from './migrations.js';
import type { Db } from './open.js';

/** Ids of the `recorders` rows (a user on a machine), created on first use. */
export class SqliteRecorders {
  readonly #ids = new Map<string, Map<string, number>>();
  readonly #stmt;

  constructor(db: Db) {
    this.#stmt = {
      find: db.prepare('SELECT id FROM recorders WHERE user_name = ? AND machine = ?').pluck(),
      insert: db.prepare('INSERT INTO recorders (user_name, machine) VALUES (?, ?) RETURNING id').pluck(),
    };
  }

  /** The id of `recorder`, inserted if new: call inside the transaction that uses it. */
  id(recorder: Recorder): number {
    let byMachine = this.#ids.get(recorder.user);
    if (byMachine === undefined) {
      byMachine = new Map();
      this.#ids.set(recorder.user, byMachine);
    }
    let id = byMachine.get(recorder.machine);
    if (id === undefined) {
      id = (this.#stmt.find.get(recorder.user, recorder.machine) as number | undefined) ?? (this.#stmt.insert.get(recorder.user, recorder.machine) as number);
      byMachine.set(recorder.machine, id);
    }
    return id;
  }

  /** Ids cached during a transaction that rolled back may not exist. */
  forget(): void {
    this.#ids.clear();
  }
}

/**
 * Rows a ledger held before it knew recorders (migration 8) become `recorder`'s: its sessions are
 * filed under it and its file cursors under its machine. Runs once, in the transaction of the
 * migration, by whichever handle migrates the ledger first (the key migration 8 leaves is removed).
 */
export function adoptRecorder(db: Db, recorder: Recorder): void {
  if (db.prepare('SELECT 1 FROM meta WHERE key = ?').get(ADOPT_KEY) === undefined) return;
  const id = new SqliteRecorders(db).id(recorder);
  db.prepare('UPDATE sessions SET recorder_id = ? WHERE recorder_id IS NULL').run(id);
  db.prepare("UPDATE files SET machine = ? WHERE machine = ''").run(recorder.machine);
  db.prepare('DELETE FROM meta WHERE key = ?').run(ADOPT_KEY);
}
