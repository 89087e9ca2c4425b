import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TokenledgerError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import type { RecordTarget } from '../ingest/record.js';
import { expandHome, type Env } from '../sources/shared/roots.js';
import { sync, type SyncReport } from '../sync/sync.js';
import { transcriptRoot } from './transcript-root.js';

/** Where the usage goes (ledger, prices, partition, budget checks) and which transcript holds it. */
export interface RecordTranscriptOptions extends RecordTarget {
  /** The source that reads Claude Code transcripts. */
  source: Source;
  transcriptPath: string;
  env: Env;
}

/**
 * Records what a session's transcript (and its subagents' transcripts) holds beyond the cursors,
 * reading those files only. The root is taken from the path itself, so the hook records them
 * whatever roots the environment names.
 */
export async function recordTranscript(options: RecordTranscriptOptions): Promise<SyncReport> {
  const home = options.env.HOME;
  const path = expandHome(options.transcriptPath, home);
  const root = transcriptRoot(path, home);
  if (root === undefined) {
    throw new TokenledgerError('BAD_INPUT', `the transcript ${path} lies in no projects/ folder, so it is no Claude Code transcript tokenledger reads`);
  }
  // A sync limited to a file that is not there reads nothing and says nothing: the user must hear of it.
  if (!exists(path)) throw new TokenledgerError('BAD_INPUT', `the transcript ${path} does not exist; nothing was recorded from it`);
  return sync({
    sources: [options.source],
    namespace: options.namespace,
    env: { ...options.env, [options.source.rootsEnvVar]: root },
    ledger: options.ledger,
    pricer: options.pricer,
    checks: options.checks,
    only: [path, ...subagentFiles(path)],
  });
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    // Another failure (a permission) is the sync's to report, with its reason.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
}

/** `<project>/<session>/subagents/*.jsonl` beside `<project>/<session>.jsonl`: the session's subagents. */
function subagentFiles(transcript: string): string[] {
  const dir = join(dirname(transcript), basename(transcript, '.jsonl'), 'subagents');
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => join(dir, name));
  } catch {
    // No subagents (or none readable: the main transcript is still recorded).
    return [];
  }
}
