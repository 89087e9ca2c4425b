import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Format } from './bodies.js';

export const CONTENT_TYPE: Record<Format, string> = { json: 'application/json', protobuf: 'application/x-protobuf' };

/** One client connection kept alive, as an exporter's HTTP agent keeps it. */
export function exporterAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

export interface Answer {
  status: number;
  body: Buffer;
}

/** POSTs one export request and reads the whole answer. */
export function post(agent: Agent, url: string, body: Uint8Array, format: Format): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': CONTENT_TYPE[format], 'content-length': body.byteLength } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Whether an answer is a full success: 200 with `{}` or an empty protobuf message (no partialSuccess). */
export function allAccepted(answer: Answer, format: Format): boolean {
  return answer.status === 200 && (format === 'json' ? answer.body.toString() === '{}' : answer.body.byteLength === 0);
}

/** A bare `node:http` server that reads each body and answers 200 `{}` at once: the floor of one export request. */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
