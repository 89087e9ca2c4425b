import { randomUUID } from 'node:crypto';
import { billedTokens, type TokenCounts, type UsageEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';
import { priceEvent } from '../pricing/price-event.js';
import type { ActiveKey } from './key-cache.js';
import type { MeteredUsage, Prepared } from './provider.js';
import type { ProxyContext } from './proxy-context.js';
import type { Route } from './router.js';

/** A metered request on its way: what it was read as, whose key, and its reservation (if its key has budgets). */
export interface Metering {
  prepared: Prepared;
  active: ActiveKey;
  reservationId: string | undefined;
  bodyChanged: boolean;
}

/** One ledger event and its settlement, handed to the group commit; no usage: the reservation is released. */
export function settle(ctx: ProxyContext, route: Route, metering: Metering, usage: MeteredUsage | undefined): void {
  const { active, reservationId } = metering;
  if (usage === undefined) {
    if (reservationId !== undefined) ctx.commits.release(reservationId);
    return;
  }
  const at = ctx.now();
  const tokens: TokenCounts = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    cacheWrite5mTokens: usage.cacheWrite5mTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens,
    cacheReadTokens: usage.cacheReadTokens,
  };
  const provider = route.upstream.provider.pricingProvider;
  const event: UsageEvent = {
    agent: GATEWAY_AGENT,
    provider,
    model: usage.model,
    sessionId: active.key.name,
    project: active.key.project ?? '',
    occurredAt: at,
    dedupKey: usage.dedupKey ?? `gateway:${randomUUID()}`,
    namespace: ctx.namespace,
    ...tokens,
    ...(usage.serviceTier === undefined ? {} : { serviceTier: usage.serviceTier }),
    ...(usage.reportedCostNanos === undefined ? {} : { reportedCostNanos: usage.reportedCostNanos }),
  };
  const price = priceEvent(ctx.table, event);
  const priced = {
    ...event,
    costNanos: price.costNanos,
    unpriced: price.unpriced,
    priceVersionId: ctx.priceVersionId,
    ...(price.unpricedTier === undefined ? {} : { unpricedTier: price.unpricedTier }),
  };
  ctx.commits.settle(priced, {
    ...(reservationId === undefined ? {} : { reservationId }),
    namespace: ctx.namespace,
    key: active.key.name,
    costNanos: price.costNanos,
    ...(usage.reportedCostNanos === undefined ? {} : { reportedCostNanos: usage.reportedCostNanos }),
    tokens,
    at,
  });
  ctx.metrics.metered(active.key.name, provider, usage.model, tokens, price.costNanos);
  ctx.rates.used(active.key.name, billedTokens(tokens), at);
}
