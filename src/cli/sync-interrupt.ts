import type { OutStream } from './io.js';

/**
 * While a sync runs in a command that does not handle SIGINT itself (`watch` and `poll` do), Ctrl-C
 * says what the ledger kept, then lets the signal end the process as it would have (exit 130 in a
 * shell): every commit is whole, so what was not committed is simply read again next time.
 * Returns the function that removes the handler once the sync is over.
 */
export function sayWhatSyncKeptOnInterrupt(stderr: OutStream, committedFiles: () => number): () => void {
  if (process.listenerCount('SIGINT') > 0) return () => {};
  const onInterrupt = (): void => {
    process.off('SIGINT', onInterrupt);
    const files = committedFiles();
    stderr.write(`\ninterrupted: ${files} file${files === 1 ? '' : 's'} committed, the rest is read next time\n`);
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', onInterrupt);
  return () => process.off('SIGINT', onInterrupt);
}
