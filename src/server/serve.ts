import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { getRequestListener } from '@hono/node-server';
import { hostPort, type ListenAddress, type TlsFiles } from '../core/listen-address.js';
import type { ServerApp } from './app.js';
import { closeServer, listenOn } from './listen-on.js';
import { applySecurityHeaders } from './security-headers.js';

/**
 * A part served on the dashboard's port (the gateway, the OTLP receiver): the requests it claims
 * (by method and path) go to its handler, the rest to the app.
 */
export interface Mount {
  handler(): Promise<RequestListener>;
  claims(method: string, path: string): boolean;
  /** Stops it (draining its own requests); what it reports is the caller's to read (the same promise however often it is called). */
  stop(): Promise<unknown>;
}

export interface ServeOptions {
  listen: ListenAddress;
  tls: TlsFiles | undefined;
  app: ServerApp;
  /** Asked in order: the first that claims a request answers it. */
  mounts?: readonly Mount[];
  /** On `stop()`, how long requests in flight may take (default 10 s; event streams end at once). */
  drainMs?: number;
}

/**
 * `tokenledger serve` listening: the app (dashboard and API) through `@hono/node-server`, and the
 * requests a mount claims (the gateway's paths, OTLP's) to that mount. `start()` listens; `stop()`
 * ends the event streams, stops accepting, lets requests finish (bounded) and stops the mounts.
 */
export class Serve {
  readonly #o: ServeOptions;
  #server: Server | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: ServeOptions) {
    this.#o = options;
  }

  async start(): Promise<{ address: ListenAddress; url: string }> {
    const { listen, tls, app } = this.#o;
    const served = getRequestListener((request) => app.fetch(request));
    const mounts = await Promise.all((this.#o.mounts ?? []).map(async (mount) => ({ mount, handle: await mount.handler() })));
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      const claimed = mounts.find((m) => m.mount.claims(method, path));
      if (claimed !== undefined) {
        applySecurityHeaders((name, value) => res.setHeader(name, value));
        claimed.handle(req, res);
        return;
      }
      void served(req, res);
    };
    const server = tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
    const address = await listenOn(server, listen);
    this.#server = server;
    return { address, url: `${tls === undefined ? 'http' : 'https'}://${hostPort(address)}` };
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#o.app.close();
    // Each mount drains its own requests in flight (bounded) while the server waits for the rest.
    const mounts = (this.#o.mounts ?? []).map((m) => m.stop());
    const server = this.#server;
    if (server !== undefined) await closeServer(server, this.#o.drainMs ?? 10_000, mounts);
    else await Promise.all(mounts);
  }
}
