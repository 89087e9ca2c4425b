/**
 * What tokenledger sends as OTLP metrics: the GenAI semantic conventions' token histogram, and our
 * own exact counters where the conventions have nothing (cache buckets, reasoning, cost, requests).
 * The `agents` intake reads these names back (agent `tokenledger`): renaming one breaks that round trip.
 */

/** GenAI conventions: tokens per request and type, as a histogram with the buckets below. */
export const TOKEN_USAGE_HISTOGRAM = 'gen_ai.client.token.usage';
/** Ours: exact tokens per bucket (`tokenledger.token.type`), an integer sum. */
export const TOKENS_COUNTER = 'tokenledger.usage.tokens';
/** Ours: the ledger's cost in US dollars (the conventions have no cost attribute or metric yet). */
export const COST_COUNTER = 'tokenledger.usage.cost';
/** Ours: billed model requests (ledger events). */
export const REQUESTS_COUNTER = 'tokenledger.usage.requests';

/** The explicit bucket boundaries the GenAI conventions give for `gen_ai.client.token.usage` (powers of 4). */
export const TOKEN_USAGE_BOUNDARIES: readonly number[] = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

/** The conventions' `gen_ai.token.type` values: input counts cached tokens too, output counts reasoning. */
export type GenAiTokenType = 'input' | 'output';

/** Our `tokenledger.token.type` values: the ledger's disjoint buckets (reasoning is part of output). */
export const LEDGER_TOKEN_TYPES = ['input', 'output', 'reasoning', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
export type LedgerTokenType = (typeof LEDGER_TOKEN_TYPES)[number];

/** Every request a coding agent makes is a chat call (`gen_ai.operation.name`, required by the conventions). */
export const OPERATION_NAME = 'chat';

/** The instrumentation scope of every metric. */
export const SCOPE_NAME = 'tokenledger';

export const ATTR = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  model: 'gen_ai.request.model',
  genAiTokenType: 'gen_ai.token.type',
  tokenType: 'tokenledger.token.type',
  agent: 'tokenledger.agent',
  session: 'session.id',
  key: 'tokenledger.gateway.key',
  user: 'user.name',
  project: 'tokenledger.project',
  namespace: 'tokenledger.namespace',
} as const;

/**
 * Attributes left out unless asked for (`--otlp-attributes`): each takes as many values as there
 * are sessions, keys, users or projects, and every value is a series a metrics backend keeps.
 */
export const OPT_IN_ATTRIBUTES = ['session', 'key', 'user', 'project'] as const;
export type OptInAttribute = (typeof OPT_IN_ATTRIBUTES)[number];
