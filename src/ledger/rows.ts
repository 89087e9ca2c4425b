import type { Budget, FileCursor, RecordedCrossing, RepriceInput, StoredEvent } from './ledger.js';
import type { Recorder } from './recorder.js';

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
  'reported_cost_nanos',
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

/**
 * What `changes()` selects of an event, in this order (aliases: `e` events, `s` sessions, `r`
 * recorders, `p` projects, `m` models, `v` price versions), read as an array per row.
 */
export const STORED_EVENT_COLUMNS = `e.change_seq, s.namespace, s.agent, s.session_key, p.path, m.name, m.provider, e.occurred_at, e.dedup_key,
  e.replay_key, e.sidechain, e.service_tier, e.input_tokens, e.output_tokens, e.reasoning_tokens, e.cache_write_5m_tokens,
  e.cache_write_1h_tokens, e.cache_read_tokens, e.cost_nanos, e.unpriced, r.user_name, r.machine, v.label, e.reported_cost_nanos`;

/** A row of `STORED_EVENT_COLUMNS` (flags as the engine stores them: 0/1 or booleans). */
export type StoredEventRow = [
  changeSeq: number,
  namespace: string,
  agent: string,
  sessionKey: string,
  project: string,
  model: string,
  provider: string,
  occurredAt: number,
  dedupKey: string,
  replayKey: string | null,
  sidechain: number | boolean,
  serviceTier: string | null,
  inputTokens: number,
  outputTokens: number,
  reasoningTokens: number,
  cacheWrite5mTokens: number,
  cacheWrite1hTokens: number,
  cacheReadTokens: number,
  costNanos: number,
  unpriced: number | boolean,
  user: string | null,
  machine: string | null,
  priceVersion: string,
  reportedCostNanos: number | null,
];

/** The event a row of `STORED_EVENT_COLUMNS` holds, recorded by `recordedBy`. */
export function storedEventFromRow(r: StoredEventRow, recordedBy: Recorder): StoredEvent {
  return {
    namespace: r[1],
    agent: r[2],
    sessionId: r[3],
    project: r[4],
    model: r[5],
    provider: r[6],
    occurredAt: r[7],
    dedupKey: r[8],
    inputTokens: r[12],
    outputTokens: r[13],
    reasoningTokens: r[14],
    cacheWrite5mTokens: r[15],
    cacheWrite1hTokens: r[16],
    cacheReadTokens: r[17],
    costNanos: r[18],
    unpriced: r[19] === true || r[19] === 1,
    recordedBy,
    priceVersion: r[22],
    // Every event has every field (undefined when absent): one object shape is faster to copy.
    replayKey: r[9] ?? undefined,
    sidechain: r[10] === true || r[10] === 1 ? true : undefined,
    serviceTier: r[11] ?? undefined,
    reportedCostNanos: r[23] ?? undefined,
  };
}

/** A row of `budgets`. */
export interface BudgetRow {
  id: number;
  namespace: string;
  scope: string;
  period: string;
  amount_nanos: number;
  set_at: number;
}

export function budgetFromRow(r: BudgetRow): Budget {
  return { id: r.id, namespace: r.namespace, scope: r.scope, period: r.period, amountNanos: r.amount_nanos, setAt: r.set_at };
}

/** A row of `budget_alerts` joined to its budget's row (`SELECT a.…, b.*`). */
export interface CrossingRow extends BudgetRow {
  budget_id: number;
  period_key: string;
  level: string;
  spent_nanos: number;
  at: number;
  notified_at: number | null;
}

export function crossingFromRow(r: CrossingRow): RecordedCrossing {
  return {
    budgetId: r.budget_id,
    periodKey: r.period_key,
    level: r.level,
    spentNanos: r.spent_nanos,
    at: r.at,
    budget: budgetFromRow(r),
    ...(r.notified_at === null ? {} : { notifiedAt: r.notified_at }),
  };
}
