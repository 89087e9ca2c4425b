import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One export request as an OTLP exporter sent it (its body decompressed). */
export interface CapturedRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

export interface CaptureReply {
  status: number;
  contentType: string;
  body: Uint8Array;
}

/** A real `node:http` server on 127.0.0.1 that keeps every request exporters send it and answers `reply`. */
export interface OtlpCapture {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: CapturedRequest[];
  reply: (request: CapturedRequest) => CaptureReply;
  close(): Promise<void>;
}

/** The success every exporter accepts: `{}` for JSON, an empty message for protobuf. */
export function emptySuccess(request: CapturedRequest): CaptureReply {
  const json = request.contentType.startsWith('application/json');
  return { status: 200, contentType: json ? 'application/json' : 'application/x-protobuf', body: json ? Buffer.from('{}') : new Uint8Array(0) };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

export async function startOtlpCapture(reply: (request: CapturedRequest) => CaptureReply = emptySuccess): Promise<OtlpCapture> {
  const capture: OtlpCapture = { url: '', requests: [], reply, close: async () => {} };
  const server = createServer((request, response) => {
    readBody(request).then(
      (body) => {
        const captured = { path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body };
        capture.requests.push(captured);
        const answer = capture.reply(captured);
        response.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.byteLength });
        response.end(answer.body);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  capture.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return capture;
}
