import { readFileSync, statSync } from 'node:fs';
import type { UsageEvent } from '../core/usage-event.js';
import { dropKey, idKey, sha256, withKey } from './event-key.js';
import { describeFieldError } from './field-error.js';
import { normalizeRecord, type PeerReport } from './normalized-event.js';

/** A file this much younger than now that does not parse yet is taken to be still being written. */
export const SETTLE_MS = 2000;
/** Larger files are refused: they belong to `tokenledger ingest FILE`, which streams. */
export const MAX_DROP_FILE_BYTES = 64 << 20;

/** Size and modification time of a file as read, to notice a change before it is moved away. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export type DropFileResult =
  | { kind: 'ok'; events: UsageEvent[]; spends: PeerReport[]; stamp: FileStamp }
  | { kind: 'waiting' }
  | { kind: 'rejected'; line: number; reason: string }
  /** Moved or removed by someone else since the folder was listed. */
  | { kind: 'gone' };

/**
 * Reads one drop file: `.json` holds one event object or an array of them, `.jsonl` one event per
 * line. The file is accepted whole or refused whole (the reason names the event or line and field).
 */
export function readDropFile(path: string, now: number): DropFileResult {
  let stamp: FileStamp;
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    stamp = { size: stat.size, mtimeMs: stat.mtimeMs };
    if (stat.size > MAX_DROP_FILE_BYTES) return { kind: 'rejected', line: 0, reason: `the file is larger than ${MAX_DROP_FILE_BYTES >> 20} MiB; feed it to \`tokenledger ingest FILE\` instead` };
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  const young = now - stamp.mtimeMs < SETTLE_MS;
  const records = path.toLowerCase().endsWith('.jsonl') ? jsonLines(bytes, young) : jsonDocument(bytes);
  if ('incomplete' in records) return young ? { kind: 'waiting' } : { kind: 'rejected', line: records.line, reason: records.incomplete };

  const digest = sha256(bytes);
  const events: UsageEvent[] = [];
  const spends: PeerReport[] = [];
  for (const [index, { line, value }] of records.entries()) {
    const record = normalizeRecord(value, now);
    const where = line > 0 ? `line ${line}` : records.length > 1 ? `event ${index + 1}` : 'the event';
    if ('error' in record) return { kind: 'rejected', line, reason: `${where}: ${describeFieldError(record.error)}` };
    if (record.kind === 'federation') spends.push(record.spend);
    else events.push(withKey(record.event, record.id === undefined ? dropKey(digest, index) : idKey(record.event.agent, record.id)));
  }
  return { kind: 'ok', events, spends, stamp };
}

type Records = { line: number; value: unknown }[] | { incomplete: string; line: number };

function jsonDocument(bytes: Buffer): Records {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { incomplete: 'the file is empty', line: 0 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { incomplete: `not valid JSON (${(error as Error).message})`, line: 0 };
  }
  return (Array.isArray(value) ? value : [value]).map((v) => ({ line: 0, value: v }));
}

/** A young file whose last line has no line break yet is still being written. */
function jsonLines(bytes: Buffer, young: boolean): Records {
  if (bytes.length === 0) return { incomplete: 'the file is empty', line: 0 };
  const lines = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n');
  const open = lines[lines.length - 1] !== '';
  if (open && young) return { incomplete: 'the last line has no line break yet', line: lines.length };
  const records: { line: number; value: unknown }[] = [];
  for (const [i, text] of lines.entries()) {
    if (text.trim() === '') continue;
    try {
      records.push({ line: i + 1, value: JSON.parse(text) });
    } catch (error) {
      return { incomplete: `line ${i + 1}: not valid JSON (${(error as Error).message})`, line: i + 1 };
    }
  }
  return records;
}
