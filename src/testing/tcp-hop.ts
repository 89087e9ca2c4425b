import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { POSTGRES_TEST_URL } from '../ledger/engines/postgres/test-schema.js';

/**
 * A TCP hop between a client and the test PostgreSQL server that can be cut (open connections
 * dropped, new ones refused) and mended on the same port: the ledger going away and coming back.
 */
export class TcpHop {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  async open(): Promise<void> {
    const target = new URL(POSTGRES_TEST_URL);
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
