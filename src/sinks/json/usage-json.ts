import { nanosToUsd } from '../../core/money.js';
import type { UsageTotals } from '../../ledger/ledger.js';
import type { Part } from '../../analytics/period-report.js';

/**
 * Token and cost fields under the names tools built on ccusage read: `inputTokens` (uncached),
 * `outputTokens` (reasoning included), `cacheCreationTokens` (both TTLs), `cacheReadTokens`,
 * `totalTokens`, and cost in USD. tokenledger's additions follow; none of the names above change.
 */
export function usageFields(t: UsageTotals, costKey: 'totalCost' | 'cost'): Record<string, number> {
  const cacheCreationTokens = t.cacheWrite5mTokens + t.cacheWrite1hTokens;
  return {
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreationTokens,
    cacheReadTokens: t.cacheReadTokens,
    totalTokens: t.inputTokens + t.outputTokens + cacheCreationTokens + t.cacheReadTokens,
    [costKey]: nanosToUsd(t.costNanos),
    cacheCreation5mTokens: t.cacheWrite5mTokens,
    cacheCreation1hTokens: t.cacheWrite1hTokens,
    reasoningTokens: t.reasoningTokens,
    requests: t.events,
    unpricedRequests: t.unpricedEvents,
  };
}

export function modelBreakdowns(models: readonly Part[]): Record<string, unknown>[] {
  return models.map((m) => ({ modelName: m.name, ...usageFields(m.totals, 'cost'), unpriced: m.totals.unpricedEvents > 0 }));
}

export function agentBreakdowns(agents: readonly Part[]): Record<string, unknown>[] {
  return agents.map((a) => ({ agent: a.name, ...usageFields(a.totals, 'totalCost') }));
}

export function totalsJson(t: UsageTotals, unpricedModels: readonly string[]): Record<string, unknown> {
  return { ...usageFields(t, 'totalCost'), unpricedModels: [...unpricedModels] };
}
