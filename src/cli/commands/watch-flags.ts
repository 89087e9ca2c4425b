import { statSync } from 'node:fs';
import { badArgument } from '../../core/errors.js';
import { parseCount } from '../../app/numbers.js';

export interface WatchFlags {
  prometheus?: string;
  dropDir?: string;
  /** `--push`: the remote ledger, as given. */
  push?: string;
  debounceMs: number;
  verbose: boolean;
  namespace?: string;
}

/** `watch`'s own flags, checked before the ledger is opened. */
export function watchFlags(flags: Record<string, unknown>): WatchFlags {
  const prometheus = flags.prometheus as string | undefined;
  if (prometheus !== undefined && prometheus.trim() === '')
    throw badArgument('--prometheus expects a file path, got an empty one', 'node_exporter reads *.prom files from its --collector.textfile.directory.');
  const dropDir = flags.dropDir as string | undefined;
  if (dropDir !== undefined && !isFolder(dropDir)) {
    throw badArgument(`--drop-dir expects an existing folder, got "${dropDir}"`, 'create it (mkdir -p) or give the folder your tools write their event files to');
  }
  const out: WatchFlags = { debounceMs: parseCount(flags.debounce ?? '30', '--debounce', 0, 10_000), verbose: flags.verbose === true };
  if (prometheus !== undefined) out.prometheus = prometheus;
  if (dropDir !== undefined) out.dropDir = dropDir;
  if (typeof flags.namespace === 'string') out.namespace = flags.namespace;
  if (typeof flags.push === 'string') out.push = flags.push;
  return out;
}

function isFolder(path: string): boolean {
  try {
    return path.trim() !== '' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
