import { Agent, request } from 'node:http';

/** Something the load generator sends OpenAI Chat requests to. */
export interface Target {
  /** `direct`, `tokenledger`, `Portkey`… (messages only). */
  name: string;
  port: number;
  /** The Chat Completions path at this target. */
  path: string;
  /** Headers every request carries (credentials, routing). */
  headers: Record<string, string>;
}

/** How one run of requests is sent. */
export interface LoadShape {
  stream: boolean;
  /**
   * Clients sending at once. Closed loop (no `ratePerSecond`): each sends its next request when its
   * last one ended, as fast as the target answers (at 64 clients that saturates the machine, so
   * latency there is mostly queueing).
   */
  clients: number;
  /**
   * Open loop: the requests per second all clients offer together, each client on a schedule of its
   * own (its next request due `clients / ratePerSecond` s after its last was due; one that is late
   * is sent as soon as the last one ended). Measures added latency under concurrency, not queueing.
   */
  ratePerSecond?: number;
}

/** What one run measured: one sample per request answered, the run's wall time, and the requests that failed. */
export interface LoadRun {
  /** Per request: until the whole answer was read (JSON), or until its first body byte (streams). */
  samplesMs: number[];
  wallMs: number;
  failed: number;
  /** Why the first of them failed. */
  firstFailure?: string;
}

/** A run stops sending once this many of its requests have failed (a target that is down fails fast). */
const MAX_FAILURES = 50;
/**
 * Idle keep-alive connections are closed by the client after this, before a server closes them
 * (Node's servers do after 5 s): a request is never sent on a connection the server is closing.
 */
const IDLE_SOCKET_MS = 3_000;

const MODEL = 'gpt-4o-mini';

function chatBody(stream: boolean): Buffer {
  const messages = [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: 'Say hello to the bench in one short sentence.' },
  ];
  const body = stream ? { model: MODEL, messages, max_tokens: 64, stream: true, stream_options: { include_usage: true } } : { model: MODEL, messages, max_tokens: 64 };
  return Buffer.from(JSON.stringify(body));
}

const BODIES = { json: chatBody(false), stream: chatBody(true) };

/**
 * A load generator over keep-alive connections of its own (one agent per target, as many sockets
 * as clients, kept between runs so a warm-up leaves them open).
 */
export class LoadGenerator {
  readonly #agents = new Map<string, Agent>();
  readonly #answered = new Map<string, number>();

  /** Requests `target` answered with 200 so far (warm-ups included). */
  answered(target: Target): number {
    return this.#answered.get(target.name) ?? 0;
  }

  #agent(target: Target): Agent {
    let agent = this.#agents.get(target.name);
    if (agent === undefined) {
      agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 4096, timeout: IDLE_SOCKET_MS });
      this.#agents.set(target.name, agent);
    }
    return agent;
  }

  /** One request; resolves with its sample (see `LoadRun`) once its answer has been read to the end. */
  send(target: Target, stream: boolean): Promise<number> {
    const body = stream ? BODIES.stream : BODIES.json;
    const headers = { ...target.headers, 'content-type': 'application/json', 'content-length': String(body.length) };
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let firstByteMs: number | undefined;
      const req = request({ agent: this.#agent(target), host: '127.0.0.1', port: target.port, path: target.path, method: 'POST', headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          firstByteMs ??= performance.now() - started;
          if (res.statusCode !== 200) parts.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== 200) {
            const text = Buffer.concat(parts).toString('utf8').slice(0, 300);
            reject(new Error(`${target.name} answered ${res.statusCode}: ${text}`));
            return;
          }
          this.#answered.set(target.name, this.answered(target) + 1);
          resolve(stream ? (firstByteMs ?? performance.now() - started) : performance.now() - started);
        });
      });
      req.on('error', (error) => reject(new Error(`${target.name}: ${error.message}`)));
      req.end(body);
    });
  }

  /** `requests` requests spread over `shape.clients` clients; none is started after `maxMs`. */
  async run(target: Target, shape: LoadShape, requests: number, maxMs = Number.POSITIVE_INFINITY): Promise<LoadRun> {
    const samplesMs: number[] = [];
    let left = requests;
    let failed = 0;
    let firstFailure: string | undefined;
    const until = performance.now() + maxMs;
    const started = performance.now();
    const rate = shape.ratePerSecond;
    const client = async (c: number): Promise<void> => {
      for (let k = 0; left > 0 && failed < MAX_FAILURES && performance.now() < until; k++) {
        if (rate !== undefined) {
          const dueMs = started + ((k * shape.clients + c) * 1000) / rate - performance.now();
          if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
          if (left <= 0) break;
        }
        left--;
        try {
          samplesMs.push(await this.send(target, shape.stream));
        } catch (error) {
          failed++;
          firstFailure ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(shape.clients, requests) }, (_, c) => client(c)));
    return { samplesMs, wallMs: performance.now() - started, failed, ...(firstFailure === undefined ? {} : { firstFailure }) };
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/** The `q` quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
