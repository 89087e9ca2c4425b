import type { OutStream } from './io.js';
import { onInterrupt } from './on-interrupt.js';

/**
 * While a sync runs, Ctrl-C says what the ledger kept before the signal ends the process: every
 * commit is whole, so what was not committed is simply read again next time. Returns the function
 * that removes the handler once the sync is over.
 */
export function sayWhatSyncKeptOnInterrupt(stderr: OutStream, committedFiles: () => number): () => void {
  return onInterrupt(() => {
    const files = committedFiles();
    stderr.write(`\ninterrupted: ${files} file${files === 1 ? '' : 's'} committed, the rest is read next time\n`);
  });
}
