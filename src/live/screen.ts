import { frame, ENTER, LEAVE } from './frame.js';
import type { TerminalSize } from './layout.js';
import type { Line } from './line.js';
import type { Terminal } from './terminal.js';

export interface ScreenOptions<S> {
  intervalMs: number;
  color: boolean;
  /** Reads the next state (syncing first, when the view does). */
  refresh(): Promise<S>;
  /** Lays a state (undefined before the first refresh) out for a terminal size. */
  render(state: S | undefined, size: TerminalSize): Line[];
}

/** Why the view ended. */
export type ScreenEnd = { reason: 'key' } | { reason: 'signal'; signal: string };

/** Keys that quit: q, Q, Ctrl-C (raw mode delivers it as a key). Escape sequences never do. */
export function isQuitKey(data: string): boolean {
  return !data.startsWith('\u001b') && /[qQ\u0003]/.test(data);
}

/**
 * Runs the full-screen view until a quit key or a signal: refreshes every `intervalMs`, redraws at
 * once on resize, and always hands the terminal back as it found it (normal screen, cursor, cooked
 * mode), also when a refresh fails (the error is then thrown after the terminal is restored).
 */
export async function runScreen<S>(term: Terminal, options: ScreenOptions<S>): Promise<ScreenEnd> {
  let end: ScreenEnd | undefined;
  let failure: { error: unknown } | undefined;
  let state: S | undefined;
  let wake: (() => void) | undefined;
  const wakeUp = (): void => {
    wake?.();
    wake = undefined;
  };
  const draw = (): void => {
    const size = term.size();
    term.write(frame(options.render(state, size), size, options.color));
  };
  const guarded = (fn: () => void) => () => {
    try {
      fn();
    } catch (error) {
      failure ??= { error };
      wakeUp();
    }
  };
  let entered = true;
  const restore = (): void => {
    if (!entered) return;
    entered = false;
    term.setRawMode(false);
    term.write(LEAVE);
  };
  term.write(ENTER);
  const removers = [
    term.onCrash(restore),
    term.onInput((data) => {
      if (isQuitKey(data)) {
        end ??= { reason: 'key' };
        wakeUp();
      }
    }),
    term.onResize(guarded(draw)),
    term.onSignal((signal) => {
      end ??= { reason: 'signal', signal };
      wakeUp();
    }),
  ];
  try {
    term.setRawMode(true);
    draw();
    while (end === undefined && failure === undefined) {
      state = await options.refresh();
      if (end !== undefined || failure !== undefined) break;
      draw();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const remove of removers) remove();
    restore();
  }
  if (failure !== undefined) throw failure.error;
  return end ?? { reason: 'key' };
}
