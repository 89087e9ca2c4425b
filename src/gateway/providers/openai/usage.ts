import { MAX_COST_NANOS_PER_EVENT } from '../../../core/event-bounds.js';
import { NANOS_PER_USD } from '../../../core/money.js';
import { serviceTierOf } from '../../../core/service-tier.js';
import type { TokenCounts } from '../../../core/usage-event.js';
import type { MeteredUsage } from '../../provider.js';
import { isRecord, shortText, tokenCount } from '../../token-count.js';

/** What one OpenAI-style answer says about itself, with its usage in the API's own names. */
export interface Answer {
  id: unknown;
  model: unknown;
  serviceTier: unknown;
  tokens: TokenCounts;
  /** `usage.cost` (OpenRouter: USD credits), when present. */
  cost: unknown;
}

/** Chat Completions usage: `prompt_tokens` includes the cached part, `completion_tokens` the reasoning. */
export function chatTokens(usage: Record<string, unknown>): TokenCounts {
  return split(usage.prompt_tokens, usage.prompt_tokens_details, usage.completion_tokens, usage.completion_tokens_details);
}

/** Responses usage: `input_tokens` includes the cached part, `output_tokens` the reasoning. */
export function responsesTokens(usage: Record<string, unknown>): TokenCounts {
  return split(usage.input_tokens, usage.input_tokens_details, usage.output_tokens, usage.output_tokens_details);
}

function split(prompt: unknown, promptDetails: unknown, completion: unknown, completionDetails: unknown): TokenCounts {
  const input = tokenCount(prompt);
  const cached = isRecord(promptDetails) ? Math.min(tokenCount(promptDetails.cached_tokens), input) : 0;
  const output = tokenCount(completion);
  const reasoning = isRecord(completionDetails) ? Math.min(tokenCount(completionDetails.reasoning_tokens), output) : 0;
  return { inputTokens: input - cached, outputTokens: output, reasoningTokens: reasoning, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: cached };
}

/** The metered usage of an answer, keyed `gateway:<provider>:<response id>`. */
export function metered(pricingProvider: string, requestedModel: string, answer: Answer): MeteredUsage {
  const result: MeteredUsage = { model: shortText(answer.model) ?? requestedModel, ...answer.tokens };
  const id = shortText(answer.id);
  if (id !== undefined) {
    result.responseId = id;
    result.dedupKey = `gateway:${pricingProvider}:${id}`;
  }
  const tier = serviceTierOf(answer.serviceTier);
  if (tier !== undefined) result.serviceTier = tier;
  const costNanos = reportedCostNanos(answer.cost);
  if (costNanos !== undefined) result.reportedCostNanos = costNanos;
  return result;
}

/** A reported cost in USD as nano-USD, bounded like every event's cost; not a finite non-negative number: none. */
function reportedCostNanos(usd: unknown): number | undefined {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) return undefined;
  return Math.min(Math.round(usd * NANOS_PER_USD), MAX_COST_NANOS_PER_EVENT);
}
