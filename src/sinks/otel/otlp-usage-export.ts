import { gzipSync } from 'node:zlib';
import { TokenledgerError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { OptInAttribute } from './metric-names.js';
import { ATTR } from './metric-names.js';
import { type OtlpEndpoint, otlpMarkName } from './otlp-endpoint.js';
import { otlpJson } from './otlp-json.js';
import { type OtlpPostResult, postOtlp } from './otlp-post.js';
import { otlpProtobuf } from './otlp-protobuf.js';
import { type SentCounts, sentCounts, type Temporality, UsageAccumulator, type UsageMetrics } from './usage-points.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpTarget {
  endpoint: OtlpEndpoint;
  protocol: OtlpProtocol;
  temporality: Temporality;
  attributes: readonly OptInAttribute[];
  headers: Record<string, string>;
  gzip: boolean;
  timeoutMs: number;
  retries: number;
  /** Events that occurred before this (epoch ms) are never sent. */
  sinceMs?: number;
}

export interface OtlpExportOptions {
  ledger: Pick<Ledger, 'changes' | 'mark' | 'setMark' | 'readOnly'>;
  target: OtlpTarget;
  namespace: string;
  /** tokenledger's version: `service.version` and the scope version. */
  version: string;
  now: () => number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface OtlpSendReport {
  /** Events of the namespace read from the ledger since the last delivery. */
  events: number;
  /** Data points in the request (0: nothing was sent). */
  points: number;
  bytes: number;
  /** Absent when there was nothing to send. */
  result?: OtlpPostResult;
}

/** Events read per `changes` call. */
const PAGE_EVENTS = 5_000;
/** Requests remembered (their last counts sent) so that a longer copy adds only what grew. */
const REMEMBERED_REQUESTS = 50_000;

/**
 * Sends the usage a namespace recorded since the last delivery to one OTLP destination. How far it
 * got is a ledger mark (`otlpMarkName`), moved only after the receiver answered 2xx: a failed send
 * is sent again, whole, the next time. One instance per destination; `send` calls never overlap.
 */
export class OtlpUsageExport {
  private readonly mark: string;
  private readonly sent = new Map<string, SentCounts>();
  private totals: UsageAccumulator;
  private cumulativeStartMs: number | undefined;
  private lastSentMs: number | undefined;
  private running: Promise<OtlpSendReport> | undefined;

  constructor(private readonly o: OtlpExportOptions) {
    this.mark = otlpMarkName(o.target.endpoint.url, o.namespace);
    this.totals = this.accumulator();
  }

  send(): Promise<OtlpSendReport> {
    // A send asked for while one runs waits for it, then reads what is new since.
    const next = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.sendOnce());
    this.running = next;
    return next;
  }

  private async sendOnce(): Promise<OtlpSendReport> {
    const { ledger, target, namespace } = this.o;
    if (ledger.readOnly) {
      throw new TokenledgerError('LEDGER_READ_ONLY', 'the ledger can only be read here, so the OTLP export cannot remember how far it got (every run would send everything again)', {
        hint: 'run it where the ledger can be written',
      });
    }
    const from = await ledger.mark(this.mark);
    const fresh = this.accumulator();
    const settled = new Map<string, SentCounts>();
    let events = 0;
    let earliest = Number.POSITIVE_INFINITY;
    let position = from;
    for (;;) {
      const page = await ledger.changes(position, PAGE_EVENTS);
      for (const e of page.events) {
        if (e.namespace !== namespace || (target.sinceMs !== undefined && e.occurredAt < target.sinceMs)) continue;
        events += 1;
        if (e.occurredAt < earliest) earliest = e.occurredAt;
        fresh.add(e, settled.get(e.dedupKey) ?? this.sent.get(e.dedupKey));
        settled.set(e.dedupKey, sentCounts(e));
      }
      if (page.next === position) break;
      position = page.next;
    }
    const now = this.o.now();
    const cumulative = target.temporality === 'cumulative';
    if (fresh.empty && !(cumulative && !this.totals.empty)) {
      // Nothing of this namespace: the mark passes what other namespaces recorded.
      if (position > from) await ledger.setMark(this.mark, position);
      return { events, points: 0, bytes: 0 };
    }
    const points = cumulative ? this.withTotals(fresh) : fresh;
    const startTimeMs = Math.min(now, cumulative ? (this.cumulativeStartMs ?? earliest) : (this.lastSentMs ?? (await this.previousSendMs()) ?? earliest));
    const metrics: UsageMetrics = {
      resource: this.resource(),
      scopeVersion: this.o.version,
      temporality: target.temporality,
      startTimeMs,
      timeMs: now,
      ...points.points(),
    };
    const body = target.protocol === 'http/json' ? new TextEncoder().encode(otlpJson(metrics)) : otlpProtobuf(metrics);
    const payload = target.gzip ? gzipSync(body) : body;
    const headers = { ...target.headers, ...(target.gzip ? { 'content-encoding': 'gzip' } : {}) };
    const result = await postOtlp(target.endpoint.url, payload, target.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf', {
      headers,
      timeoutMs: target.timeoutMs,
      retries: target.retries,
      ...(this.o.backoffMs === undefined ? {} : { backoffMs: this.o.backoffMs }),
      ...(this.o.sleep === undefined ? {} : { sleep: this.o.sleep }),
    });
    const count = metrics.histogram.length + metrics.tokens.length + metrics.costNanos.length + metrics.requests.length;
    if (result.ok) {
      await ledger.setMark(this.mark, position);
      await ledger.setMark(`${this.mark}:sent-at`, now);
      this.lastSentMs = now;
      if (cumulative) {
        this.totals = points;
        this.cumulativeStartMs = startTimeMs;
      }
      for (const [key, counts] of settled) this.remember(key, counts);
    }
    return { events, points: count, bytes: payload.length, result };
  }

  /** When a delta was last delivered here (an earlier run): the next one starts there. */
  private async previousSendMs(): Promise<number | undefined> {
    const at = await this.o.ledger.mark(`${this.mark}:sent-at`);
    return at > 0 ? at : undefined;
  }

  private withTotals(fresh: UsageAccumulator): UsageAccumulator {
    const all = this.accumulator();
    all.merge(this.totals);
    all.merge(fresh);
    return all;
  }

  private remember(key: string, counts: SentCounts): void {
    this.sent.delete(key);
    this.sent.set(key, counts);
    if (this.sent.size > REMEMBERED_REQUESTS) this.sent.delete(this.sent.keys().next().value as string);
  }

  private accumulator(): UsageAccumulator {
    return new UsageAccumulator(new Set(this.o.target.attributes));
  }

  private resource(): [string, string][] {
    return [
      ['service.name', 'tokenledger'],
      ['service.version', this.o.version],
      [ATTR.namespace, this.o.namespace],
    ];
  }
}
