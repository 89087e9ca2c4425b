/**
 * The parts of the API's JSON documents the page reads (the documents are exactly the CLI's `--json`
 * output). Declared here, not imported, because the page is built for the browser alone; every field
 * the page reads may be missing from an older server, so views read them defensively.
 */

export interface ModelBreakdown {
  modelName: string;
  cost: number;
  totalTokens: number;
  requests: number;
  unpriced: boolean;
}

export interface AgentTotals {
  agent: string;
  totalCost: number;
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
  requests: number;
  unpricedRequests: number;
  unpricedModels?: string[];
}

export interface DailyRow extends UsageTotals {
  date: string;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
  agents?: AgentTotals[];
  user?: string;
}

/** `daily` (also with `by=user`: a row per user per day). */
export interface DailyDocument {
  daily: DailyRow[];
  totals: UsageTotals;
}

/** `daily` with `instances`: the days of each project. */
export interface DailyByProjectDocument {
  projects: Record<string, DailyRow[]>;
  totals: UsageTotals;
}

export interface SessionRow extends UsageTotals {
  sessionId: string;
  projectPath: string;
  agent: string;
  user?: string;
  machine?: string;
  firstActivity: string;
  lastActivity: string;
  modelsUsed: string[];
  modelBreakdowns: ModelBreakdown[];
}

export interface SessionsDocument {
  sessions: SessionRow[];
  totals: UsageTotals;
}

export interface SessionMessage {
  at: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation_1h_input_tokens?: number;
  cache_read_input_tokens: number;
  cost_usd: number;
  pct_of_session: number;
  sidechain: boolean;
  unpriced: boolean;
}

export interface SessionDetailDocument {
  sessionId: string;
  agent: string;
  user?: string;
  machine?: string;
  project: string;
  firstActivity: string;
  lastActivity: string;
  messageCount: number;
  unpricedMessages: number;
  total_cost_usd: number;
  percentiles: { p50_usd: number; p90_usd: number; p99_usd: number };
  topMessages: SessionMessage[];
}

export interface BudgetStatus {
  period: string;
  scope: string;
  budget_usd: number;
  spent_usd: number;
  remaining_usd: number;
  utilization_pct: number;
  level: string;
  threshold: number | null;
  recommended_action: string;
  periodKey?: string;
}

export interface BudgetsDocument {
  budgets: BudgetStatus[];
}

export interface ProjectionDocument {
  window: string;
  spent_usd: number;
  usd_per_day: number;
  horizons: { horizon: string; days: number; projected_usd: number }[];
}

export interface BurnDocument {
  bucket: string;
  lookback: string;
  buckets: { since: string; until: string; cost_usd: number }[];
  latest_usd: number;
  baseline_usd: number | null;
  acceleration_pct: number | null;
  status: string;
}

export interface Block {
  kind?: string;
  isGap: boolean;
  provider: string;
  startTime: string;
  endTime: string;
  isActive: boolean;
  requests: number;
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: { costPerHour?: number; tokensPerMinute?: number } | null;
  projection: { totalCost?: number; remainingMinutes?: number } | null;
}

export interface BlocksDocument {
  blocks: Block[];
}

export interface SummaryDocument {
  total_cost_usd: number;
  sessionCount: number;
  messageCount: number;
  byModel: Record<string, { tier: string; cost_usd: number; messages: number; input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }>;
  byUser?: Record<string, { total_cost_usd: number; messageCount: number }>;
}

export interface AnomalyDocument {
  since: string;
  sessions: number;
  threshold: number;
  status: string;
  median_usd: number | null;
  mad_usd: number | null;
  outliers: { sessionId: string; agent: string; cost_usd: number; messages: number; z: number; lastActivity: string }[];
}

export interface OptimizeDocument {
  total_cost_usd: number;
  unpriced_requests: number;
  recommendations: { id: string; title: string; detail: string; action: string; savings_usd: number | null }[];
}

export interface CounterfactualDocument {
  actual_usd: number;
  baselines: { baseline: string; model: string; cost_usd: number | null; savings_usd: number | null; savings_pct: number | null }[];
}

export interface GatewayKey {
  name: string;
  revoked: boolean;
  prompt_count?: number;
  total_tokens?: number;
  total_cost_usd?: number;
  last_activity_at?: number | string | null;
  reset_at?: number | null;
  prefix?: string;
  rpm?: number | null;
  tpm?: number | null;
  project?: string | null;
  budgets?: BudgetStatus[];
}

export interface KeysDocument {
  keys: GatewayKey[];
}

/** An API error body: the CLI's message. */
export interface ErrorDocument {
  error: string | { message?: string; code?: string };
}
