import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostPort, type ListenAddress, type TlsFiles } from '../../core/listen-address.js';
import { closeServer, listenOn } from '../listen-on.js';
import type { Mount } from '../serve.js';
import type { OtlpReceiver } from './otlp-receiver.js';

/** How long requests in flight may take to finish when the receiver stops. */
const DRAIN_MS = 10_000;

/** `tokenledger otlp` listening: the receiver alone on its own port. */
export class OtlpServer {
  readonly #receiver: OtlpReceiver;
  readonly #listen: ListenAddress;
  readonly #tls: TlsFiles | undefined;
  #server: Server | undefined;
  #stopping: Promise<void> | undefined;

  constructor(receiver: OtlpReceiver, listen: ListenAddress, tls: TlsFiles | undefined) {
    this.#receiver = receiver;
    this.#listen = listen;
    this.#tls = tls;
  }

  async start(): Promise<{ address: ListenAddress; url: string }> {
    const listener = this.#receiver.listener;
    const server = this.#tls === undefined ? createHttpServer(listener) : createHttpsServer({ cert: this.#tls.cert, key: this.#tls.key }, listener);
    const address = await listenOn(server, this.#listen);
    this.#server = server;
    return { address, url: `${this.#tls === undefined ? 'http' : 'https'}://${hostPort(address)}` };
  }

  /** Stops accepting, lets the requests in flight finish their commits (bounded), closes. */
  stop(): Promise<void> {
    this.#stopping ??= this.#server === undefined ? Promise.resolve() : closeServer(this.#server, DRAIN_MS, [this.#receiver.drained()]);
    return this.#stopping;
  }
}

/** The receiver as a mount of `serve` (`serve --otlp`): POST `/` and the `/v1/…` paths. */
export function otlpMount(receiver: OtlpReceiver): Mount {
  return {
    handler: async () => receiver.listener,
    claims: (method, path) => receiver.claims(method, path),
    stop: () => receiver.drained(),
  };
}
