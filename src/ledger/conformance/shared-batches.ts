import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import type { FileBatch, FileCursor, OriginBatch } from '../ledger.js';

/** Several writers commit one file batch by batch (as several syncs of one home would), and piped input overlapping two by two. */
export const SHARED_WRITERS = 4;
export const SHARED_BATCHES = 6;
export const SHARED_PER_BATCH = 40;
export const SHARED_PATH = '/logs/shared.jsonl';
const AT = Date.UTC(2025, 9, 10, 12);

const cursorAt = (offset: number): FileCursor => ({
  path: SHARED_PATH,
  agent: 'claude-code',
  dev: 1,
  ino: 1,
  size: offset,
  mtimeMs: 0,
  offset,
  lineCount: offset,
  fingerprint: String(offset),
  state: null,
});

const event = (key: string, i: number, outputTokens: number, priceVersionId: number): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: `session-${i % 5}`,
  project: '/home/dev/app',
  namespace: 'cost-tracking',
  occurredAt: AT + i * 30_000,
  dedupKey: key,
  inputTokens: 100,
  outputTokens,
  costNanos: 1_000 + outputTokens,
  priceVersionId,
  unpriced: false,
});

/** Batch `b` of the shared file, from the cursor where batch `b - 1` ended. */
export function fileBatch(b: number, priceVersionId: number): FileBatch {
  return {
    from: b === 0 ? undefined : cursorAt(b * SHARED_PER_BATCH),
    to: cursorAt((b + 1) * SHARED_PER_BATCH),
    events: Array.from({ length: SHARED_PER_BATCH }, (_, i) => event(`file:${b * SHARED_PER_BATCH + i}`, b * SHARED_PER_BATCH + i, 10, priceVersionId)),
    rateLimits: [],
    drops: [],
  };
}

/** Writer `w`'s piped input: keys shared with writer `w + 1`, its copies larger by one output token. */
export function piped(w: number, priceVersionId: number): OriginBatch {
  const half = SHARED_PER_BATCH / 2;
  return {
    origin: 'ingest:stdin',
    events: Array.from({ length: SHARED_PER_BATCH }, (_, i) => w * half + i).map((k) => event(`piped:${k}`, 1_000 + k, 10 + w, priceVersionId)),
    rateLimits: [],
    drops: [],
  };
}

/** What writer `w` commits, in order. */
export function writerPlan(w: number, priceVersionId: number): (FileBatch | OriginBatch)[] {
  const plan: (FileBatch | OriginBatch)[] = [];
  for (let b = 0; b < SHARED_BATCHES; b++) {
    plan.push(fileBatch(b, priceVersionId));
    if (b === w) plan.push(piped(w, priceVersionId));
  }
  return plan;
}
