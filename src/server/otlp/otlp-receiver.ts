import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sameSecret } from '../../core/same-secret.js';
import { decodeLogs, decodeMetrics, jsonSignal, OtlpDecodeError, type OtlpFormat, type OtlpSignal } from '../../intake/otel/decode/index.js';
import { type IntakeResult, type OtlpIntake, takeLogs, takeMetrics } from '../../intake/otel/otlp-intake.js';
import { bearerToken } from '../access.js';
import { ledgerRefusal } from './ledger-refusal.js';
import { contentCoding, otlpFormat } from './otlp-content.js';
import { OtlpCounters } from './otlp-counters.js';
import { type Refusal, sendExport, sendRefusal } from './otlp-reply.js';
import { otlpClaims, otlpRoute } from './otlp-routes.js';
import { readBody } from './request-body.js';

/** The default cap on a request body, as sent and decompressed. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Requests read, decoded and committed at once; one more is answered 429 (the exporter retries). */
const DEFAULT_MAX_IN_FLIGHT = 8;

export interface OtlpReceiverOptions {
  intake: OtlpIntake;
  /** The bearer token every request must carry; undefined: none needed (loopback only, checked by whoever listens). */
  token: string | undefined;
  maxBodyBytes?: number;
  maxInFlight?: number;
  /** One line per refusal (and, verbose, per request): never a token or body content. */
  log: (line: string) => void;
  verbose?: boolean;
  /** Names the receiver in its log lines (`tokenledger otlp`). */
  who: string;
  /** After each request's commit (to announce budget crossings). */
  onTaken?: (result: IntakeResult) => void;
}

/**
 * The OTLP/HTTP receiver as a `node:http` listener: routes `POST /v1/logs`, `/v1/metrics`,
 * `/v1/traces` (accepted, not read) and `POST /` (by the JSON body's top-level key), checks the
 * token, type, encoding and size, decodes, records through the intake (one commit per request) and
 * answers as OTLP/HTTP says: 200 (with `partialSuccess` when records were kept out), 400 for a body
 * that can never be taken, 429/503 with `Retry-After` for what passes.
 */
export class OtlpReceiver {
  readonly counters = new OtlpCounters();
  readonly listener: RequestListener = (req, res) => void this.#answer(req, res);
  readonly #o: OtlpReceiverOptions;
  #inFlight = 0;
  #drained: (() => void)[] = [];

  constructor(options: OtlpReceiverOptions) {
    this.#o = options;
  }

  /** Whether a request on a shared port is the receiver's (`serve --otlp`). */
  claims(method: string, path: string): boolean {
    return otlpClaims(method, path);
  }

  /** Requests being read, decoded or committed now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves when no request is being read, decoded or committed. */
  drained(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#drained.push(resolve));
  }

  async #answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const format = otlpFormat(req.headers['content-type']);
    const refuse = (refusal: Refusal): void => {
      this.counters.refused += 1;
      this.#o.log(`${this.#o.who}: ${refusal.status} ${req.method ?? '?'} ${path.slice(0, 100)}: ${refusal.message}`);
      sendRefusal(res, refusal, format);
    };
    try {
      const refusal = this.#check(req, path, format);
      if (refusal !== undefined) return refuse(refusal);
      this.#inFlight += 1;
      try {
        const outcome = await this.#take(req, path, format as OtlpFormat);
        if ('status' in outcome) return refuse(outcome);
        sendExport(res, outcome.signal, format as OtlpFormat, outcome.result?.partial);
        if (outcome.result !== undefined) this.#tell(path, outcome.result);
      } finally {
        this.#inFlight -= 1;
        if (this.#inFlight === 0) for (const resolve of this.#drained.splice(0)) resolve();
      }
    } catch (error) {
      // A fault after the checks (the reply could not be encoded): one line, never a stack.
      if (res.headersSent) res.destroy();
      else {
        try {
          refuse(ledgerRefusal(error));
        } catch {
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error\n');
        }
      }
    }
  }

  /** What is refused before the body is read: path, method, token, type, encoding, load. */
  #check(req: IncomingMessage, path: string, format: OtlpFormat | undefined): Refusal | undefined {
    const route = otlpRoute(path);
    if (route === undefined) return { status: 404, message: 'not an OTLP path: post to /v1/logs, /v1/metrics or /v1/traces' };
    if (req.method !== 'POST') return { status: 405, message: `${route === 'root' ? '/' : `/v1/${route}`} takes POST only`, headers: { Allow: 'POST' } };
    if (this.#o.token !== undefined && !sameSecret(bearerToken(req.headers.authorization), this.#o.token)) {
      const presented = req.headers.authorization === undefined ? 'no Authorization header' : 'the bearer token does not match';
      return { status: 401, message: `${presented}: send Authorization: Bearer <token> (OTEL_EXPORTER_OTLP_HEADERS)`, headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    if (format === undefined) return { status: 415, message: 'Content-Type must be application/x-protobuf or application/json (gRPC is not served: use http/protobuf or http/json)' };
    if (contentCoding(req.headers['content-encoding']) === undefined) return { status: 415, message: 'Content-Encoding must be gzip, deflate or none' };
    if (this.#inFlight >= (this.#o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)) return { status: 429, message: 'too many export requests at once', retryAfterS: 1 };
    return undefined;
  }

  /** Reads, decodes and records one request: the signal and what the intake made of it, or a refusal. */
  async #take(req: IncomingMessage, path: string, format: OtlpFormat): Promise<{ signal: OtlpSignal; result: IntakeResult | undefined } | Refusal> {
    const maxBytes = this.#o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const body = await readBody(req, contentCoding(req.headers['content-encoding']) ?? 'identity', maxBytes);
    if (body.kind === 'too-large') return { status: 413, message: `the body is over the ${maxBytes}-byte cap (as sent or decompressed)`, close: true };
    if (body.kind === 'bad-coding') return { status: 400, message: body.message };
    if (body.kind === 'aborted') return { status: 400, message: 'the client closed the request before its body ended', close: true };
    const route = otlpRoute(path);
    const signal = route === 'root' ? (format === 'json' ? jsonSignal(body.bytes) : undefined) : route;
    if (signal === undefined) {
      return {
        status: 400,
        message:
          format === 'json'
            ? 'POST / needs a JSON body with resourceLogs, resourceMetrics or resourceSpans at its top level'
            : 'POST / takes JSON only: post protobuf to /v1/logs, /v1/metrics or /v1/traces',
      };
    }
    // Traces carry no usage the agents do not also send as events: accepted, not read.
    if (signal === 'traces') {
      this.counters.requests += 1;
      return { signal, result: undefined };
    }
    let decoded: Parameters<typeof takeLogs>[1] | Parameters<typeof takeMetrics>[1];
    try {
      decoded = signal === 'logs' ? decodeLogs(body.bytes, format) : decodeMetrics(body.bytes, format);
    } catch (error) {
      if (error instanceof OtlpDecodeError) return { status: 400, message: error.message };
      throw error;
    }
    try {
      const result = 'records' in decoded ? await takeLogs(this.#o.intake, decoded) : await takeMetrics(this.#o.intake, decoded);
      this.counters.add(result);
      this.#o.onTaken?.(result);
      return { signal, result };
    } catch (error) {
      return ledgerRefusal(error);
    }
  }

  #tell(path: string, r: IntakeResult): void {
    if (this.#o.verbose !== true) return;
    this.#o.log(`${this.#o.who}: POST ${path}: ${r.usage} usage (${r.inserted} new), ${r.ignored} ignored, ${r.rejected} rejected, ${r.unknown} unknown`);
    for (const d of r.drops) this.#o.log(`dropped ${d.path}: ${d.reason}`);
    if (r.partial !== undefined) this.#o.log(`${this.#o.who}: partial success: ${r.partial.message}`);
  }
}
