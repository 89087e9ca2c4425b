import type { FileCursor, RepriceInput } from './ledger.js';

/**
 * How every engine's rows map to the contract's types: the `files` row of a cursor and the row a
 * reprice reads. Engines name their columns alike (snake case); only the cursor's byte offset is
 * named by each (`offset` is a reserved word in PostgreSQL), so it is passed on its own.
 */
export interface CursorColumns {
  path: string;
  agent: string;
  dev: number;
  ino: number;
  size: number;
  mtime_ms: number;
  ctime_ms: number | null;
  line_count: number;
  fingerprint: string;
  state: string | null;
}

export function cursorFromRow(row: CursorColumns, offset: number): FileCursor {
  return {
    path: row.path,
    agent: row.agent,
    dev: row.dev,
    ino: row.ino,
    size: row.size,
    mtimeMs: row.mtime_ms,
    ...(row.ctime_ms === null ? {} : { ctimeMs: row.ctime_ms }),
    offset,
    lineCount: row.line_count,
    fingerprint: row.fingerprint,
    state: row.state === null ? null : JSON.parse(row.state),
  };
}

/** The columns of an event row every engine writes, in the order writers bind them. */
export const EVENT_COLUMNS = [
  'dedup_key',
  'replay_key',
  'sidechain',
  'session_id',
  'project_id',
  'model_id',
  'file_id',
  'occurred_at',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'cost_nanos',
  'price_version_id',
  'unpriced',
  'service_tier',
] as const;

/** What a cost depends on, and the cost itself: a reprice writes an event only if these are as it read them. */
export const REPRICE_AS_READ = [
  'occurred_at',
  'model_id',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'cost_nanos',
  'unpriced',
  'service_tier',
] as const;

/** What a reprice reads of an event: its model (name, provider), time, tier and token buckets. */
export interface RepriceColumns {
  name: string;
  provider: string;
  occurred_at: number;
  service_tier: string | null;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
}

export function repriceInput(row: RepriceColumns): RepriceInput {
  return {
    model: row.name,
    provider: row.provider,
    occurredAt: row.occurred_at,
    serviceTier: row.service_tier ?? undefined,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    reasoningTokens: row.reasoning_tokens,
    cacheWrite5mTokens: row.cache_write_5m_tokens,
    cacheWrite1hTokens: row.cache_write_1h_tokens,
    cacheReadTokens: row.cache_read_tokens,
  };
}
