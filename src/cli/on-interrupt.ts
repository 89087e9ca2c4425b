/**
 * Runs `action` on SIGINT (Ctrl-C), then lets the signal end the process as it would have without
 * a handler (exit 130 in a shell). Only where no other SIGINT handler is set: a command that stops
 * cleanly on signals (`watch`, `poll`) keeps its own way. Returns the function that removes it.
 */
export function onInterrupt(action: () => void): () => void {
  if (process.listenerCount('SIGINT') > 0) return () => {};
  const handler = (): void => {
    process.off('SIGINT', handler);
    try {
      action();
    } finally {
      process.kill(process.pid, 'SIGINT');
    }
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
