import { spawn } from 'node:child_process';
import { TokenledgerError } from '../core/errors.js';
import type { DroppedRecord } from '../ledger/ledger.js';
import { emptyReport, type SyncReport } from '../sync/report.js';

/** What `tokenledger sync --json` prints. */
interface SyncSummary {
  filesSeen: number;
  filesRead: number;
  bytesRead: number;
  inserted: number;
  updated: number;
  duplicates: number;
  dropped: DroppedRecord[];
  pendingTails: { path: string; bytes: number; modifiedMs: number }[];
  unpricedModels: string[];
  durationMs: number;
}

/** How much of a failed sync's stderr is kept for the message. */
const MAX_ERROR_CHARS = 400;

/**
 * Runs `tokenledger sync --json` (the `bin` given, with `args` such as `--db`) in a child process
 * and returns its report. A long-running process that catches up on a large history this way
 * keeps none of the memory the reading took: it goes with the child. What the child says on
 * stderr (budget crossings among it) is not repeated; the caller announces crossings from the ledger.
 * When `signal` aborts, the child is stopped (SIGTERM) and the promise rejects.
 */
export function childSync(bin: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<SyncReport> {
  return new Promise((resolve, reject) => {
    // A process group of its own: a Ctrl-C meant for `watch` reaches it only through `signal`.
    const child = spawn(process.execPath, [bin, 'sync', '--json', ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // Stopped, it ends at once: what it committed is whole, the rest is read on the next start.
    const stop = (): void => void child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.once('close', () => signal?.removeEventListener('abort', stop));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      // 3: some lines could not be read (listed in the summary); the rest is recorded.
      if (code !== 0 && code !== 3) {
        const said =
          stderr
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('tokenledger:'))
            .join(' ') || stderr.trim();
        reject(new TokenledgerError('LEDGER', `the catch-up sync exited with ${code}: ${said.slice(0, MAX_ERROR_CHARS)}`));
        return;
      }
      try {
        resolve(toReport(JSON.parse(stdout) as SyncSummary));
      } catch (error) {
        reject(new TokenledgerError('INTERNAL', `the catch-up sync printed no summary: ${String(error)}`));
      }
    });
  });
}

function toReport(s: SyncSummary): SyncReport {
  return {
    ...emptyReport(),
    filesSeen: s.filesSeen,
    filesRead: s.filesRead,
    bytesRead: s.bytesRead,
    inserted: s.inserted,
    replaced: s.updated,
    duplicates: s.duplicates,
    drops: s.dropped,
    pendingTails: s.pendingTails,
    unpricedModels: new Set(s.unpricedModels),
    durationMs: s.durationMs,
  };
}
