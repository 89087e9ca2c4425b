import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ChangeFeed } from './change-feed.js';

/** Between two keep-alive comments, so proxies do not close an idle stream. */
export const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /api/v1/events`: server-sent events. First `event: ready` with the ledger's change position,
 * then `event: ledger` (`data: {"position": n}`) after every change, so an open page fetches again;
 * a keep-alive comment every 15 s. `closeAll()` ends every stream (the server stops).
 */
export class EventStreams {
  readonly #feed: ChangeFeed;
  readonly #keepAliveMs: number;
  readonly #open = new Set<() => void>();

  constructor(feed: ChangeFeed, keepAliveMs = KEEP_ALIVE_MS) {
    this.#feed = feed;
    this.#keepAliveMs = keepAliveMs;
  }

  get openCount(): number {
    return this.#open.size;
  }

  answer(c: Context): Response {
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      // One write at a time, in order.
      let writing = Promise.resolve();
      const send = (write: () => Promise<void>): void => {
        writing = writing.then(write).catch(() => {});
      };
      const position = (p: number): string => JSON.stringify({ position: p });
      send(() => stream.writeSSE({ event: 'ready', data: position(this.#feed.position), retry: 1_000 }));
      const unsubscribe = this.#feed.subscribe((p) => send(() => stream.writeSSE({ event: 'ledger', data: position(p) })));
      const keepAlive = setInterval(() => send(() => stream.write(': keep-alive\n\n').then(() => {})), this.#keepAliveMs);
      let close = (): void => {};
      const closed = new Promise<void>((resolve) => (close = resolve));
      this.#open.add(close);
      stream.onAbort(close);
      await closed;
      this.#open.delete(close);
      clearInterval(keepAlive);
      unsubscribe();
      await writing;
    });
  }

  closeAll(): void {
    for (const close of [...this.#open]) close();
  }
}
