import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The bench's upstream: OpenAI Chat Completions (`POST /v1/chat/completions`) answered as fast as
 * Node can, in the shapes the API documents. A JSON answer carries `usage`; a stream sends a role
 * chunk, two content chunks, a finish chunk, then (when the request asks for
 * `stream_options.include_usage`) the usage-only chunk with empty `choices`, then `data: [DONE]`.
 *
 * While streams are held (`hold(true)`), each stream gets its first chunk at once and then one
 * content chunk every 100 ms until `hold(false)` finishes them all: many open streams, as long as
 * the bench needs them.
 */
export interface FakeUpstream {
  readonly port: number;
  /** Holds new streams open (true), or finishes every held stream (false); resolves once they are written. */
  hold(on: boolean): Promise<void>;
  /** Streams open right now (held or not). */
  openStreams(): Promise<number>;
  close(): Promise<void>;
}

export const HOLD_TICK_MS = 100;

const USAGE = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
};

interface ChatRequest {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
}

let served = 0;
const nextId = (): string => `chatcmpl-bench${(++served).toString(36).padStart(8, '0')}`;

function completion(model: string): string {
  const created = Math.floor(Date.now() / 1000);
  const message = { role: 'assistant', content: 'Hello from the bench upstream.', refusal: null, annotations: [] };
  const choice = { index: 0, message, logprobs: null, finish_reason: 'stop' };
  return JSON.stringify({ id: nextId(), object: 'chat.completion', created, model, choices: [choice], usage: USAGE, service_tier: 'default', system_fingerprint: 'fp_bench' });
}

/** The chunks of one stream, as `data:` events; `usage` adds the usage-only chunk. */
function streamEvents(model: string, usage: boolean): { first: string; content: string; last: string } {
  const head = { id: nextId(), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, service_tier: 'default', system_fingerprint: 'fp_bench' };
  const nil = usage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null): string => `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...nil })}\n\n`;
  const first = chunk({ role: 'assistant', content: '', refusal: null }, null);
  const content = chunk({ content: 'Hello' }, null);
  const usageChunk = usage ? `data: ${JSON.stringify({ ...head, choices: [], usage: USAGE })}\n\n` : '';
  return { first, content, last: `${chunk({}, 'stop')}${usageChunk}data: [DONE]\n\n` };
}

function fail(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } });
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

export function startFakeUpstream(): Promise<FakeUpstream> {
  const held = new Set<{ res: ServerResponse; events: ReturnType<typeof streamEvents> }>();
  let holding = false;
  let open = 0;
  let ticker: NodeJS.Timeout | undefined;

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
      fail(res, 404, `Unknown request URL: ${req.method} ${req.url}`);
      return;
    }
    let body: ChatRequest;
    try {
      body = JSON.parse(raw) as ChatRequest;
    } catch {
      fail(res, 400, 'We could not parse the JSON body of your request.');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
    const requestId = { 'x-request-id': `req_bench${served.toString(36)}` };
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json', ...requestId }).end(completion(model));
      return;
    }
    const events = streamEvents(model, body.stream_options?.include_usage === true);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...requestId });
    open++;
    res.on('close', () => open--);
    if (!holding) {
      res.write(events.first);
      res.write(events.content);
      res.end(`${events.content}${events.last}`);
      return;
    }
    res.write(events.first);
    const entry = { res, events };
    held.add(entry);
    res.on('close', () => held.delete(entry));
  };

  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(parts).toString('utf8')));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        async hold(on) {
          holding = on;
          if (on && ticker === undefined) {
            ticker = setInterval(() => {
              for (const { res, events } of held) res.write(events.content);
            }, HOLD_TICK_MS);
          }
          if (!on) {
            if (ticker !== undefined) clearInterval(ticker);
            ticker = undefined;
            for (const { res, events } of held) res.end(events.last);
            held.clear();
          }
        },
        async openStreams() {
          return open;
        },
        close: () =>
          new Promise<void>((done) => {
            if (ticker !== undefined) clearInterval(ticker);
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
