import { rmSync } from 'node:fs';

/** Removes a ledger file with its WAL and shared-memory files, so the next run starts empty. */
export function removeLedger(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
