import { setTimeout as sleep } from 'node:timers/promises';

/** How a long-running command hears it should stop, and gives the signals back when it returns. */
export interface StopSignals {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT and SIGTERM while a long-running command (`watch`, `poll`) runs: they abort `signal`, so the
 * command finishes the step under way and returns, instead of the process being killed mid-write.
 * A signal after the first calls `onRepeat` (to say the command is finishing).
 */
export function stopOnSignals(onRepeat?: () => void): StopSignals {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) onRepeat?.();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Waits `ms`, or less once `signal` aborts. */
export async function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => {});
}

/**
 * Runs a long-running command (`watch`, `serve`, `gateway`, `otlp`) until it returns, with SIGINT and
 * SIGTERM aborting the signal it gets; a repeated signal says `repeatMessage` on stderr. The signals
 * are given back when it returns.
 */
export async function untilStopped<T>(stderr: { write(text: string): unknown }, repeatMessage: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = stopOnSignals(() => stderr.write(`${repeatMessage}\n`));
  try {
    return await run(stop.signal);
  } finally {
    stop.dispose();
  }
}
