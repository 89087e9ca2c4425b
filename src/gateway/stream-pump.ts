import type { IncomingMessage, ServerResponse } from 'node:http';

export interface PumpLimits {
  /** After the client left: at most this many more bytes are read, for this long. */
  drainBytes: number;
  drainMs: number;
}

/**
 * Passes an upstream response to the client chunk by chunk as it arrives (`transform` sees each
 * first), with backpressure. When the client goes away, the rest is still read (so its usage is
 * known; the provider bills it), bounded by `limits`. Resolves true when the upstream finished its
 * answer, false when it broke off or the bounded read gave up; the client's response is ended
 * (or, after a broken upstream, destroyed so the client sees the break).
 */
export function pump(upstream: IncomingMessage, res: ServerResponse, transform: (chunk: Buffer) => Buffer, limits: PumpLimits): Promise<boolean> {
  return new Promise((resolve) => {
    let clientGone = res.destroyed;
    let drained = 0;
    let drainTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(drainTimer);
      res.off('close', onClose);
      if (!clientGone) {
        if (complete) res.end();
        else res.destroy();
      }
      if (!complete) upstream.destroy();
      resolve(complete);
    };
    const giveUp = (): void => finish(false);
    const onClose = (): void => {
      if (res.writableFinished) return;
      clientGone = true;
      drainTimer = setTimeout(giveUp, limits.drainMs);
      upstream.resume();
    };
    res.on('close', onClose);
    if (clientGone) drainTimer = setTimeout(giveUp, limits.drainMs);
    upstream.on('data', (chunk: Buffer) => {
      const out = transform(chunk);
      if (clientGone) {
        drained += chunk.length;
        if (drained > limits.drainBytes) giveUp();
        return;
      }
      if (out.length > 0 && !res.write(out)) {
        upstream.pause();
        res.once('drain', () => upstream.resume());
      }
    });
    upstream.once('end', () => finish(true));
    upstream.once('error', giveUp);
    upstream.once('close', () => finish(upstream.complete));
  });
}
