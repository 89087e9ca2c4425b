import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenledgerError } from '../core/errors.js';
import { hostPort, type ListenAddress } from '../core/listen-address.js';

/** Starts `server` listening on `listen`; the address it listens on (port 0 resolved). A taken address is a BAD_ARGUMENT. */
export async function listenOn(server: Server, listen: ListenAddress): Promise<ListenAddress> {
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? 'the address is in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new TokenledgerError('BAD_ARGUMENT', `cannot listen on ${hostPort(listen)}: ${why}`, { hint: 'choose another address with --listen' }));
    };
    server.once('error', failed);
    server.listen(listen.port, listen.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return { host: listen.host, port: (server.address() as AddressInfo).port };
}

/**
 * Stops accepting and closes connections as their last answer ends; after `drainMs` the rest are
 * cut. Resolves when the server is closed and `alsoWait` (the mounts' own draining) has settled.
 */
export async function closeServer(server: Server, drainMs: number, alsoWait: readonly Promise<unknown>[] = []): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Connections whose last answer ended (an event stream, a request drained) close as they go idle.
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const bound = setTimeout(() => server.closeAllConnections(), drainMs);
  try {
    await Promise.all([closed, ...alsoWait]);
  } finally {
    clearInterval(idle);
    clearTimeout(bound);
  }
}
