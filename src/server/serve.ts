import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { TokenledgerError } from '../core/errors.js';
import { hostPort, type ListenAddress, type TlsFiles } from '../core/listen-address.js';
import type { ServerApp } from './app.js';
import { applySecurityHeaders } from './security-headers.js';

/** A gateway served on the same port: the paths it claims go to its handler. */
export interface SharedGateway {
  handler(): Promise<RequestListener>;
  claims(path: string): boolean;
  /** Stops it; what it reports is the caller's to read (the gateway's stop is the same promise however often it is called). */
  stop(): Promise<unknown>;
}

export interface ServeOptions {
  listen: ListenAddress;
  tls: TlsFiles | undefined;
  app: ServerApp;
  gateway?: SharedGateway;
  /** On `stop()`, how long requests in flight may take (default 10 s; event streams end at once). */
  drainMs?: number;
}

/**
 * `tokenledger serve` listening: the app (dashboard and API) through `@hono/node-server`, and the
 * gateway's paths to the gateway when one is shared. `start()` listens; `stop()` ends the event
 * streams, stops accepting, lets requests finish (bounded) and stops the gateway.
 */
export class Serve {
  readonly #o: ServeOptions;
  #server: Server | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: ServeOptions) {
    this.#o = options;
  }

  async start(): Promise<{ address: ListenAddress; url: string }> {
    const { listen, tls, app, gateway } = this.#o;
    const served = getRequestListener((request) => app.fetch(request));
    const toGateway = gateway === undefined ? undefined : await gateway.handler();
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      if (toGateway !== undefined && gateway?.claims(path) === true) {
        applySecurityHeaders((name, value) => res.setHeader(name, value));
        toGateway(req, res);
        return;
      }
      void served(req, res);
    };
    const server = tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
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
    this.#server = server;
    const info = server.address() as AddressInfo;
    const address = { host: listen.host, port: info.port };
    return { address, url: `${tls === undefined ? 'http' : 'https'}://${hostPort(address)}` };
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#o.app.close();
    const server = this.#server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections whose last answer ended (an event stream, a request drained) close as they go idle.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const bound = setTimeout(() => server.closeAllConnections(), this.#o.drainMs ?? 10_000);
      // The gateway drains its own requests in flight (bounded) while the server waits for the rest.
      await Promise.all([closed, this.#o.gateway?.stop()]);
      clearInterval(idle);
      clearTimeout(bound);
    } else {
      await this.#o.gateway?.stop();
    }
  }
}
