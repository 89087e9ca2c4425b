import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { POSTGRES_TEST_URL } from '../ledger/engines/postgres/test-schema.js';

/** A `COMMIT` sent as a simple query: message type, length (4 + 7), the text and its terminator. */
const COMMIT_QUERY = Buffer.from('Q\u0000\u0000\u0000\u000bCOMMIT\u0000', 'latin1');

/**
 * A TCP hop between a client and the test PostgreSQL server that can be cut (open connections
 * dropped, new ones refused) and mended on the same port: the ledger going away and coming back.
 * It can also lose one acknowledgement: the next `COMMIT` reaches the server, which commits, and
 * its reply never reaches the client (that connection is dropped instead).
 */
export class TcpHop {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #loseCommitReply: (() => void) | undefined;
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
      // Set once this connection's COMMIT went through unanswered: the server's next reply is its answer.
      let lost: (() => void) | undefined;
      client.on('data', (chunk: Buffer) => {
        if (this.#loseCommitReply !== undefined && chunk.includes(COMMIT_QUERY)) {
          lost = this.#loseCommitReply;
          this.#loseCommitReply = undefined;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (lost === undefined) {
          client.write(chunk);
          return;
        }
        client.destroy();
        upstream.destroy();
        lost();
      });
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /**
   * Loses the reply to the next `COMMIT` any connection sends: the server commits, the client's
   * connection breaks. Resolves once the server has answered (the commit is durable).
   */
  loseNextCommitReply(): Promise<void> {
    return new Promise((resolve) => {
      this.#loseCommitReply = resolve;
    });
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
