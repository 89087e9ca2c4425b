import { type CursorColumns, cursorFromRow } from '../../rows.js';
import type { FileCursor } from '../../ledger.js';
import type { Queryable } from './sql.js';

/** The `agent` of rows of `files` that name an origin rather than a followed file. */
export const ORIGIN_AGENT = '(origin)';

const CURSOR_COLUMNS = 'path, agent, dev, ino, size, mtime_ms, ctime_ms, byte_offset, line_count, fingerprint, state';

interface CursorRow extends CursorColumns {
  byte_offset: number;
}

/** The cursors of `machine` (of `paths` only, when given). */
export async function readCursors(db: Queryable, machine: string, paths?: readonly string[]): Promise<Map<string, FileCursor>> {
  const byPath = paths === undefined ? '' : 'AND path = ANY($3::text[])';
  const rows = await db.query<CursorRow>(
    `SELECT ${CURSOR_COLUMNS} FROM files WHERE machine = $1 AND agent <> $2 ${byPath}`,
    paths === undefined ? [machine, ORIGIN_AGENT] : [machine, ORIGIN_AGENT, paths],
  );
  return new Map(rows.rows.map((row) => [row.path, cursorFromRow(row, row.byte_offset)]));
}

/** Writes cursors (one per path) and returns the files' ids by path. */
export async function writeCursors(db: Queryable, machine: string, cursors: readonly FileCursor[], now: number): Promise<Map<string, number>> {
  if (cursors.length === 0) return new Map();
  const sorted = [...cursors].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const col = <K extends keyof FileCursor>(key: K): unknown[] => sorted.map((c) => c[key]);
  const rows = await db.query<{ id: number; path: string }>(
    `INSERT INTO files (machine, path, agent, dev, ino, size, mtime_ms, ctime_ms, byte_offset, line_count, fingerprint, state, updated_at)
     SELECT $1, * , $12 FROM unnest($2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::float8[], $8::float8[], $9::int8[], $10::int8[], $11::text[], $13::text[])
       AS c(path, agent, dev, ino, size, mtime_ms, ctime_ms, byte_offset, line_count, fingerprint, state)
     ON CONFLICT (machine, path) DO UPDATE SET agent = excluded.agent, dev = excluded.dev, ino = excluded.ino, size = excluded.size,
       mtime_ms = excluded.mtime_ms, ctime_ms = excluded.ctime_ms, byte_offset = excluded.byte_offset, line_count = excluded.line_count,
       fingerprint = excluded.fingerprint, state = excluded.state, updated_at = excluded.updated_at
     RETURNING id, path`,
    [
      machine,
      col('path'),
      col('agent'),
      col('dev'),
      col('ino'),
      col('size'),
      col('mtimeMs'),
      sorted.map((c) => c.ctimeMs ?? null),
      col('offset'),
      col('lineCount'),
      col('fingerprint'),
      now,
      sorted.map((c) => (c.state === null || c.state === undefined ? null : JSON.stringify(c.state))),
    ],
  );
  return new Map(rows.rows.map((r) => [r.path, r.id]));
}

/** Rows of `files` naming origins (no cursor), created on first use; their ids by origin. */
export async function writeOrigins(db: Queryable, machine: string, origins: readonly string[], now: number): Promise<Map<string, number>> {
  if (origins.length === 0) return new Map();
  const rows = await db.query<{ id: number; path: string }>(
    `INSERT INTO files (machine, path, agent, dev, ino, size, mtime_ms, byte_offset, line_count, fingerprint, state, updated_at)
     SELECT $1, o, $2, 0, 0, 0, 0, 0, 0, '', NULL, $3 FROM unnest($4::text[]) AS o ORDER BY o
     ON CONFLICT (machine, path) DO UPDATE SET updated_at = excluded.updated_at
     RETURNING id, path`,
    [machine, ORIGIN_AGENT, now, [...new Set(origins)]],
  );
  return new Map(rows.rows.map((r) => [r.path, r.id]));
}
