import { limitPct, timeline } from '../analytics/blocks.js';
import { nanosToUsd } from '../core/money.js';
import type { BlocksResult, ProviderBlocksResult } from './blocks.js';

const HOUR_MS = 3_600_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * `blocks --json`: one list of blocks (and the gaps between them), each provider's in turn, oldest
 * first. Fields that mean what ccusage's mean carry its names (`startTime`, `endTime`, `isActive`,
 * `isGap`, `tokenCounts`, `totalTokens`, `costUSD`, `models`, `burnRate`, `projection`); ours beside them.
 */
export function blocksJson(r: BlocksResult, namespace: string): unknown {
  return {
    namespace,
    now: iso(r.now),
    session_length_hours: r.options.sessionLengthMs / HOUR_MS,
    activity_resolution_minutes: 15,
    provider: r.options.provider ?? null,
    token_limit: r.options.tokenLimit === undefined ? null : { source: r.options.tokenLimit === 'max' ? 'max' : 'flag', tokens: r.options.tokenLimit === 'max' ? null : r.options.tokenLimit },
    blocks: r.providers.flatMap((p) => providerBlocksJson(p)),
    rate_limits: r.limits.map((l) => ({
      agent: l.agent,
      limit_id: l.limitId ?? null,
      plan_type: l.planType ?? null,
      taken_at: iso(l.takenAt),
      windows: l.windows.map((w) => ({
        name: w.name,
        label: w.label,
        used_percent: w.usedPercent,
        window_minutes: w.windowMinutes ?? null,
        resets_at: w.resetsAt === undefined ? null : iso(w.resetsAt),
        current: w.current,
      })),
    })),
  };
}

function providerBlocksJson(p: ProviderBlocksResult): unknown[] {
  const limit = p.limitTokens;
  return timeline(p.blocks).map((e) => {
    if (e.kind === 'gap') return { kind: 'gap', isGap: true, provider: p.provider, startTime: iso(e.start), endTime: iso(e.end) };
    const t = e.totals;
    const outlook = e.active ? p.active : undefined;
    return {
      kind: 'block',
      isGap: false,
      provider: p.provider,
      startTime: iso(e.start),
      endTime: iso(e.end),
      isActive: e.active,
      first_activity: iso(e.firstActivity),
      last_activity: iso(e.lastActivity),
      requests: t.events,
      unpriced_requests: t.unpricedEvents,
      tokenCounts: {
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        cacheCreationInputTokens: t.cacheWrite5mTokens + t.cacheWrite1hTokens,
        cacheReadInputTokens: t.cacheReadTokens,
        reasoning_tokens: t.reasoningTokens,
      },
      totalTokens: e.tokens,
      costUSD: nanosToUsd(t.costNanos),
      models: e.models,
      token_limit: limit ?? null,
      token_limit_pct: limitPct(e.tokens, limit),
      burnRate: outlook === undefined ? null : { tokensPerMinute: outlook.rate.tokensPerMinute, costPerHour: nanosToUsd(outlook.rate.costNanosPerHour) },
      projection:
        outlook === undefined
          ? null
          : {
              totalTokens: outlook.projection.tokens,
              totalCost: nanosToUsd(outlook.projection.costNanos),
              remainingMinutes: Math.round(outlook.projection.remainingMs / 60_000),
              token_limit_pct: limitPct(outlook.projection.tokens, limit),
              exceeds_token_limit: limit === undefined ? null : outlook.projection.tokens > limit,
            },
    };
  });
}
