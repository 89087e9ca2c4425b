import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { TokenledgerError } from '../core/errors.js';
import type { UsageEvent } from '../core/usage-event.js';
import type { DroppedRecord } from '../ledger/ledger.js';
import { readDropFile, type FileStamp } from './drop-file.js';
import type { PeerReport } from './normalized-event.js';
import { recordIngested, type RecordTarget } from './record.js';
import { reject, removeFile, setAside } from './set-aside.js';

export interface DropFolderOptions {
  dir: string;
  target: RecordTarget;
  /** Delete processed files instead of moving them to processed/. */
  remove?: boolean;
  /** The clock (default `Date.now`): bounds event times and tells how recently a file was written. */
  now?: () => number;
  /** Events committed per transaction (files are never split between two). */
  batchSize?: number;
}

export interface DropFolderReport {
  /** Files recorded (and moved to processed/ or removed). */
  files: number;
  /** Usage events and federation reports in those files. */
  events: number;
  /** New to the ledger (federation reports that raised a task's totals included). */
  inserted: number;
  /** Already in the ledger. */
  duplicates: number;
  rejected: { file: string; reason: string }[];
  /** Files not complete yet, left for the next pass. */
  waiting: string[];
}

const BATCH = 5000;

/** Files a pass takes: `*.json` and `*.jsonl` directly in the folder, not hidden (temporary names are left alone). */
export function isDropFile(entry: Dirent): boolean {
  return entry.isFile() && !entry.name.startsWith('.') && /\.jsonl?$/i.test(entry.name);
}

interface Ready {
  path: string;
  name: string;
  stamp: FileStamp;
}

/**
 * One pass over a drop folder. Each file's events are committed first; only then is the file
 * moved to `processed/` (or removed). A crash between the two leaves the file in place, and the
 * next pass records it again without counting anything twice (dedup keys). A file that cannot be
 * used goes to `rejected/` with a `.reason` file beside it.
 */
export async function ingestDropFolder(options: DropFolderOptions): Promise<DropFolderReport> {
  const dir = resolve(options.dir);
  const now = options.now ?? Date.now;
  const { target } = options;
  const origin = `drop:${dir}`;
  const report: DropFolderReport = { files: 0, events: 0, inserted: 0, duplicates: 0, rejected: [], waiting: [] };
  let events: UsageEvent[] = [];
  let spends: PeerReport[] = [];
  let drops: DroppedRecord[] = [];
  let ready: Ready[] = [];

  const commit = async (): Promise<void> => {
    const result = await recordIngested(target, origin, { events, spends, drops });
    report.inserted += result.events.inserted + result.spends.inserted + result.spends.updated;
    report.duplicates += result.events.duplicates + result.spends.duplicates;
    // Committed: now the files may go. One changed since it was read stays for the next pass.
    for (const file of ready) {
      if (!unchanged(file)) report.waiting.push(file.name);
      else {
        if (options.remove === true) removeFile(file.path);
        else setAside(file.path, join(dir, 'processed'));
        report.files += 1;
      }
    }
    events = [];
    spends = [];
    drops = [];
    ready = [];
  };

  for (const name of listDropFiles(dir)) {
    const path = join(dir, name);
    const result = readDropFile(path, now());
    if (result.kind === 'gone') continue;
    if (result.kind === 'waiting') report.waiting.push(name);
    else if (result.kind === 'rejected') {
      reject(path, join(dir, 'rejected'), result.reason, now());
      report.rejected.push({ file: name, reason: result.reason });
      drops.push({ path: name, line: result.line, reason: result.reason });
    } else {
      events.push(...result.events);
      spends.push(...result.spends);
      report.events += result.events.length + result.spends.length;
      ready.push({ path, name, stamp: result.stamp });
      if (events.length + spends.length >= (options.batchSize ?? BATCH)) await commit();
    }
  }
  if (ready.length > 0 || drops.length > 0) await commit();
  return report;
}

/** Names of the files a pass takes, in name order (writers that number their files get them in order). */
function listDropFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new TokenledgerError('BAD_INPUT', `drop folder ${dir} ${code === 'ENOENT' ? 'does not exist' : 'is not a folder'}`, {
        hint: 'create it (mkdir -p) or give the folder your tools write their event files to',
      });
    }
    throw new TokenledgerError('IO', `cannot read the drop folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return entries
    .filter(isDropFile)
    .map((e) => e.name)
    .sort();
}

function unchanged(file: Ready): boolean {
  try {
    const stat = statSync(file.path);
    return stat.size === file.stamp.size && stat.mtimeMs === file.stamp.mtimeMs;
  } catch {
    // Gone: another pass moved it after committing the same events.
    return true;
  }
}
