import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** The request each response answers, so JSON answers can be compressed when the request accepts it. */
const ANSWERING = new WeakMap<ServerResponse, RecordedRequest>();

/** A request a fake upstream received, as it arrived. */
export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How a streamed answer misbehaves (all optional): the default streams every event at once. */
export interface StreamControl {
  /** After writing event `pauseAfter` (from 0), wait for `resume` before writing the next. */
  pauseAfter?: number;
  resume?: Promise<void>;
  /** After writing event `cutAfter` (from 0), destroy the connection without ending the stream. */
  cutAfter?: number;
}

/**
 * A real HTTP server on 127.0.0.1 (a free port) that records every request and hands it to the
 * provider's handler with the scenario queued for it. Scenarios are taken in order; when none is
 * queued the default scenario answers.
 */
export class FakeServer<Scenario> {
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #queue: Scenario[] = [];
  readonly #default: Scenario;
  /** Resolved each time a stream reaches its `pauseAfter` event. */
  #pausedWaiters: (() => void)[] = [];
  url = '';

  constructor(defaultScenario: Scenario, handle: (request: RecordedRequest, scenario: Scenario, response: ServerResponse, fake: FakeServer<Scenario>) => Promise<void> | void) {
    this.#default = defaultScenario;
    this.#server = createServer((req, res) => {
      void this.#receive(req, res, handle);
    });
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Queues the scenario of the next request. */
  answer(scenario: Scenario): this {
    this.#queue.push(scenario);
    return this;
  }

  /** The last request received. */
  get last(): RecordedRequest {
    const request = this.requests.at(-1);
    if (request === undefined) throw new Error('the fake upstream received no request');
    return request;
  }

  /** Resolves when a stream next pauses (at its `pauseAfter` event). */
  paused(): Promise<void> {
    return new Promise((resolve) => this.#pausedWaiters.push(resolve));
  }

  /** Writes `frames` one by one, pausing or cutting as `control` says; ends the response unless cut. */
  async stream(response: ServerResponse, frames: readonly string[], control: StreamControl): Promise<void> {
    for (let i = 0; i < frames.length; i++) {
      // Each frame leaves before the next is written: a paused or cut stream has sent all before it.
      await new Promise<void>((resolve, reject) => response.write(frames[i], (error) => (error ? reject(error) : resolve())));
      if (control.cutAfter === i) {
        response.socket?.end();
        return;
      }
      if (control.pauseAfter === i) {
        const waiters = this.#pausedWaiters;
        this.#pausedWaiters = [];
        for (const waiter of waiters) waiter();
        await control.resume;
      }
    }
    response.end();
  }

  async #receive(
    req: IncomingMessage,
    res: ServerResponse,
    handle: (request: RecordedRequest, scenario: Scenario, response: ServerResponse, fake: FakeServer<Scenario>) => Promise<void> | void,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    this.requests.push(request);
    ANSWERING.set(res, request);
    const scenario = this.#queue.shift() ?? this.#default;
    try {
      await handle(request, scenario, res, this);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake upstream failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The request body as JSON, or undefined when it is not JSON. */
export function jsonOf(request: RecordedRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** One SSE frame: an optional `event:` line, one `data:` line, a blank line. */
export function sseFrame(data: unknown, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** Sends a JSON answer, gzipped (as the real APIs do) when the request accepts gzip. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  let bytes = Buffer.from(JSON.stringify(body));
  const accepts = String(ANSWERING.get(response)?.headers['accept-encoding'] ?? '');
  const gzip = /\bgzip\b/.test(accepts);
  if (gzip) bytes = gzipSync(bytes);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...headers });
  response.end(bytes);
}

let counter = 0;
/** A fresh id with `prefix`, unique within the test run. */
export function freshId(prefix: string): string {
  counter++;
  return `${prefix}${counter.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
}
