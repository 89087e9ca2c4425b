import { badArgument } from '../core/errors.js';

/** What the live view needs of a terminal. */
export interface Terminal {
  size(): { columns: number; rows: number };
  write(text: string): void;
  /** Raw mode: keys arrive one by one, unechoed, Ctrl-C as a key. */
  setRawMode(on: boolean): void;
  /** Each listener returns a function that removes it. */
  onResize(listener: () => void): () => void;
  onInput(listener: (data: string) => void): () => void;
  /** SIGINT, SIGTERM, SIGHUP. */
  onSignal(listener: (signal: string) => void): () => void;
  /** Last resort when the process goes down without the view's own cleanup (an error elsewhere). */
  onCrash(listener: () => void): () => void;
}

interface TtyOut {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(text: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

interface TtyIn {
  isTTY?: boolean;
  setRawMode?(on: boolean): unknown;
  setEncoding?(encoding: 'utf8'): unknown;
  resume?(): unknown;
  pause?(): unknown;
  on?(event: 'data', listener: (data: string | Buffer) => void): unknown;
  off?(event: 'data', listener: (data: string | Buffer) => void): unknown;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The process's own terminal; a clear error (exit 2) when standard input or output is not one. */
export function processTerminal(stdout: unknown, stdin: unknown): Terminal {
  const out = stdout as Partial<TtyOut> | undefined;
  const input = stdin as TtyIn | undefined;
  if (out?.isTTY !== true || typeof out.on !== 'function' || input?.isTTY !== true || typeof input.setRawMode !== 'function' || typeof input.on !== 'function') {
    throw badArgument(
      'the live view needs a terminal: standard input and output must both be a TTY',
      'run it in a terminal window; for scripts use `tokenledger blocks --active --json` or `tokenledger daily --json`',
    );
  }
  const tty = out as TtyOut;
  return {
    size: () => ({ columns: tty.columns ?? 80, rows: tty.rows ?? 24 }),
    write: (text) => void tty.write(text),
    setRawMode(on) {
      input.setRawMode?.(on);
      if (on) {
        input.setEncoding?.('utf8');
        input.resume?.();
      } else input.pause?.();
    },
    onResize(listener) {
      tty.on('resize', listener);
      return () => void tty.off('resize', listener);
    },
    onInput(listener) {
      const handler = (data: string | Buffer): void => listener(typeof data === 'string' ? data : data.toString('utf8'));
      input.on?.('data', handler);
      return () => void input.off?.('data', handler);
    },
    onSignal(listener) {
      const handlers = SIGNALS.map((signal) => [signal, () => listener(signal)] as const);
      for (const [signal, handler] of handlers) process.on(signal, handler);
      return () => {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      };
    },
    onCrash(listener) {
      // Runs before Node prints an uncaught error and exits, so the error lands on the normal screen.
      process.on('uncaughtExceptionMonitor', listener);
      process.on('exit', listener);
      return () => {
        process.off('uncaughtExceptionMonitor', listener);
        process.off('exit', listener);
      };
    },
  };
}
