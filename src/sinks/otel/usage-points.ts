import { genAiProvider } from '../../core/gen-ai-provider.js';
import type { StoredEvent } from '../../ledger/ledger.js';
import {
  ATTR,
  COST_COUNTER,
  type GenAiTokenType,
  type LedgerTokenType,
  OPERATION_NAME,
  type OptInAttribute,
  REQUESTS_COUNTER,
  TOKEN_USAGE_BOUNDARIES,
  TOKEN_USAGE_HISTOGRAM,
  TOKENS_COUNTER,
} from './metric-names.js';

/** Attributes as sorted key/value pairs: one series per distinct list. */
export type PointAttributes = readonly (readonly [string, string])[];

export type Temporality = 'delta' | 'cumulative';

export interface SumPoint {
  attributes: PointAttributes;
  /** Tokens or requests; for the cost counter, nano-USD (sent as dollars). */
  value: number;
}

export interface HistogramPoint {
  attributes: PointAttributes;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** One more than the boundaries: the last is above the highest boundary. */
  bucketCounts: number[];
}

/** One export request's worth of points, in our own terms; `otlp-json` and `otlp-protobuf` encode it. */
export interface UsageMetrics {
  resource: PointAttributes;
  scopeVersion: string;
  temporality: Temporality;
  startTimeMs: number;
  timeMs: number;
  histogram: HistogramPoint[];
  tokens: SumPoint[];
  costNanos: SumPoint[];
  requests: SumPoint[];
}

export const METRIC_UNITS = { [TOKEN_USAGE_HISTOGRAM]: '{token}', [TOKENS_COUNTER]: '{token}', [COST_COUNTER]: 'USD', [REQUESTS_COUNTER]: '{request}' } as const;

/** The token counts a request was last sent with, so that a longer copy adds only what grew. */
export interface SentCounts {
  input: number;
  output: number;
  reasoning: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  costNanos: number;
}

export function sentCounts(e: StoredEvent): SentCounts {
  return {
    input: e.inputTokens,
    output: e.outputTokens,
    reasoning: e.reasoningTokens,
    cache_read: e.cacheReadTokens,
    cache_write_5m: e.cacheWrite5mTokens,
    cache_write_1h: e.cacheWrite1hTokens,
    costNanos: e.costNanos,
  };
}

/** The series attributes of an event: the counters' base, and the opted-in identities. */
export function seriesAttributes(e: StoredEvent, optIn: ReadonlySet<OptInAttribute>): { counters: [string, string][]; extra: [string, string][] } {
  const extra: [string, string][] = [];
  const gateway = e.agent === 'gateway';
  // A gateway event's session is the key it was metered under; any other's is the agent's session.
  if (gateway && optIn.has('key')) extra.push([ATTR.key, e.sessionId]);
  if (!gateway && optIn.has('session')) extra.push([ATTR.session, e.sessionId]);
  if (optIn.has('user')) extra.push([ATTR.user, e.recordedBy.user]);
  if (optIn.has('project')) extra.push([ATTR.project, e.project]);
  return {
    counters: [
      [ATTR.provider, genAiProvider(e.provider)],
      [ATTR.model, e.model],
      [ATTR.agent, e.agent],
    ],
    extra,
  };
}

/**
 * Sums events into points. `add` takes a request once, or again with a longer copy (then only
 * what grew is added to the counters, and the histogram is left as it was observed).
 */
export class UsageAccumulator {
  private readonly histogram = new Map<string, HistogramPoint>();
  private readonly tokens = new Map<string, SumPoint>();
  private readonly cost = new Map<string, SumPoint>();
  private readonly requests = new Map<string, SumPoint>();

  constructor(private readonly optIn: ReadonlySet<OptInAttribute>) {}

  add(e: StoredEvent, before?: SentCounts): void {
    // Series are found by a string of the event's values; attribute lists are built only for a new one.
    const extra = this.extraKey(e);
    // The provider as sent: two ledger ids of one conventions name (google, gemini) are one series.
    const provider = genAiProvider(e.provider);
    const identity = `${provider}\u0001${e.model}\u0001${e.agent}${extra}`;
    const now = sentCounts(e);
    if (before === undefined) {
      bumpKeyed(this.requests, identity, () => this.attributes(e), 1);
      // The histogram carries the conventions' attributes only (no agent): its series are fewer.
      const genAi = `${provider}\u0001${e.model}${extra}\u0002`;
      observe(this.histogram, `${genAi}input`, () => this.histogramAttributes(e, 'input'), genAiTokens(e, 'input'));
      observe(this.histogram, `${genAi}output`, () => this.histogramAttributes(e, 'output'), genAiTokens(e, 'output'));
    }
    for (const type of TYPES) {
      const grew = now[type] - (before?.[type] ?? 0);
      if (grew > 0) bumpKeyed(this.tokens, `${identity}\u0002${type}`, () => sorted([...this.attributes(e), [ATTR.tokenType, type]]), grew);
    }
    const costGrew = now.costNanos - (before?.costNanos ?? 0);
    if (costGrew > 0) bumpKeyed(this.cost, identity, () => this.attributes(e), costGrew);
  }

  /** The opted-in attributes' values, as part of a series key. */
  private extraKey(e: StoredEvent): string {
    if (this.optIn.size === 0) return '';
    let key = '';
    for (const [name, value] of seriesAttributes(e, this.optIn).extra) key += `\u0001${name}=${value}`;
    return key;
  }

  private attributes(e: StoredEvent): [string, string][] {
    const { counters, extra } = seriesAttributes(e, this.optIn);
    return sorted([...counters, ...extra]) as [string, string][];
  }

  private histogramAttributes(e: StoredEvent, type: GenAiTokenType): PointAttributes {
    const { counters, extra } = seriesAttributes(e, this.optIn);
    return sorted([[ATTR.operation, OPERATION_NAME], counters[0] as [string, string], counters[1] as [string, string], ...extra, [ATTR.genAiTokenType, type]]);
  }

  get empty(): boolean {
    return this.requests.size === 0 && this.tokens.size === 0 && this.cost.size === 0;
  }

  /** Adds another accumulator's points into this one (cumulative totals take each sent delta). */
  merge(other: UsageAccumulator): void {
    for (const [key, p] of other.requests) bumpKeyed(this.requests, key, () => p.attributes, p.value);
    for (const [key, p] of other.tokens) bumpKeyed(this.tokens, key, () => p.attributes, p.value);
    for (const [key, p] of other.cost) bumpKeyed(this.cost, key, () => p.attributes, p.value);
    for (const [key, p] of other.histogram) {
      const held = this.histogram.get(key);
      if (held === undefined) this.histogram.set(key, { ...p, bucketCounts: [...p.bucketCounts] });
      else {
        held.count += p.count;
        held.sum += p.sum;
        held.min = Math.min(held.min, p.min);
        held.max = Math.max(held.max, p.max);
        for (let i = 0; i < held.bucketCounts.length; i++) held.bucketCounts[i] = (held.bucketCounts[i] as number) + (p.bucketCounts[i] as number);
      }
    }
  }

  points(): Pick<UsageMetrics, 'histogram' | 'tokens' | 'costNanos' | 'requests'> {
    return {
      histogram: [...this.histogram.values()],
      tokens: [...this.tokens.values()],
      costNanos: [...this.cost.values()],
      requests: [...this.requests.values()],
    };
  }
}

const TYPES: readonly LedgerTokenType[] = ['input', 'output', 'reasoning', 'cache_read', 'cache_write_5m', 'cache_write_1h'];

/** As the conventions count them: input includes cache reads and writes, output includes reasoning. */
export function genAiTokens(e: StoredEvent, type: GenAiTokenType): number {
  return type === 'input' ? e.inputTokens + e.cacheReadTokens + e.cacheWrite5mTokens + e.cacheWrite1hTokens : e.outputTokens;
}

/** The bucket a value falls in: bucket i holds (boundary[i-1], boundary[i]], the last everything above. */
export function bucketIndex(value: number): number {
  for (let i = 0; i < TOKEN_USAGE_BOUNDARIES.length; i++) if (value <= (TOKEN_USAGE_BOUNDARIES[i] as number)) return i;
  return TOKEN_USAGE_BOUNDARIES.length;
}

function observe(map: Map<string, HistogramPoint>, key: string, attributes: () => PointAttributes, value: number): void {
  let point = map.get(key);
  if (point === undefined) {
    point = { attributes: attributes(), count: 0, sum: 0, min: value, max: value, bucketCounts: new Array<number>(TOKEN_USAGE_BOUNDARIES.length + 1).fill(0) };
    map.set(key, point);
  }
  point.count += 1;
  point.sum += value;
  if (value < point.min) point.min = value;
  if (value > point.max) point.max = value;
  const i = bucketIndex(value);
  point.bucketCounts[i] = (point.bucketCounts[i] as number) + 1;
}

function bumpKeyed(map: Map<string, SumPoint>, key: string, attributes: () => PointAttributes, value: number): void {
  const point = map.get(key);
  if (point === undefined) map.set(key, { attributes: attributes(), value });
  else point.value += value;
}

function sorted(pairs: [string, string][]): PointAttributes {
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
