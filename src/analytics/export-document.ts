import { nanosToUsd } from '../core/money.js';
import type { UsageTotals } from '../ledger/ledger.js';
import { tierOf } from './tier.js';

/**
 * What `tokenledger export` hands to its sinks (Prometheus textfile, webhook): one snapshot of a
 * namespace. Money is already in dollars here, because this is the edge: every sink prints it as is.
 * Key names with underscores are the webhook's JSON contract, kept as they are.
 */

/** Token counts of one tier, by class. */
export interface ClassTokens {
  input: number;
  output: number;
  cache_write: number;
  cache_read: number;
}

/** One model's share of a session. */
export interface ExportModelUsage {
  tier: string;
  cost_usd: number;
  messages: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A model's usage under the keys exports and `summary` share. */
export function modelUsage(model: string, t: UsageTotals): ExportModelUsage {
  return {
    tier: tierOf(model),
    cost_usd: nanosToUsd(t.costNanos),
    messages: t.events,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cache_creation_input_tokens: t.cacheWrite5mTokens + t.cacheWrite1hTokens,
    cache_read_input_tokens: t.cacheReadTokens,
  };
}

export interface ExportSession {
  /** Unique only within one agent: two agents may name sessions alike. */
  sessionId: string;
  agent: string;
  /** Who recorded the session (absent when unknown). */
  user?: string;
  cwd: string | null;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  endedAt: string;
  messageCount: number;
  byModel: Record<string, ExportModelUsage>;
  /** USD by tier. */
  byTier: Record<string, number>;
  total_cost_usd: number;
  /** ISO 8601: when this export read the session. */
  capturedAt: string;
}

export interface ExportBudget {
  period: string;
  scope: string;
  budget_usd: number;
  spent_usd: number;
  /** A fraction, 0..n (0.42 is 42 %; over 1 is over budget). */
  utilization: number;
  level: string;
  /** ISO 8601. */
  setAt: string;
}

export interface ExportDocument {
  /** ISO 8601. */
  exportedAt: string;
  namespace: string;
  /** At most --max-sessions, most recent (by endedAt) first. */
  sessions: ExportSession[];
  budget: ExportBudget | null;
  totalUsd: number;
  /** USD by tier. */
  byTier: Record<string, number>;
  byTierTokens: Record<string, ClassTokens>;
  /** USD by user who recorded usage (every session of the namespace, as the totals). */
  byUser: Record<string, number>;
}
