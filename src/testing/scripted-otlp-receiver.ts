import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ScriptedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as received, un-gzipped when it came gzipped. */
  body: Uint8Array;
}

export interface ScriptedReceiver {
  /** The server's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

/**
 * A real OTLP/HTTP receiver on 127.0.0.1 port 0 that keeps every request with its headers. `reply` decides each
 * answer by its attempt number (1-based); by default 200 with an empty JSON object.
 */
export async function startScriptedReceiver(reply: (attempt: number) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 200 })): Promise<ScriptedReceiver> {
  const requests: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push({ path: req.url ?? '', headers: req.headers, body: new Uint8Array(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw) });
      const answer = reply(requests.length);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
