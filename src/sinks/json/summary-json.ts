import { nanosToUsd } from '../../core/money.js';
import { modelUsage } from '../../analytics/export-document.js';
import type { Summary } from '../../analytics/summary.js';

export interface SummaryContext {
  exportedAt: number;
  namespace: string;
  since: number | undefined;
  until: number | undefined;
  git: { sha: string; shaShort: string; branch: string | null; isDirty: boolean } | null;
  federation: { eventCount: number; peerCount: number; totalNanos24h: number };
}

/**
 * `tokenledger summary --format json`: the stable contract other tools consume. Fields are only
 * ever added, never renamed or removed.
 */
export function summaryJson(s: Summary, c: SummaryContext): Record<string, unknown> {
  const b = s.budget;
  return {
    exportedAt: new Date(c.exportedAt).toISOString(),
    git: c.git,
    total_cost_usd: nanosToUsd(s.totalNanos),
    sessionCount: s.sessionCount,
    conversationCount: s.conversationCount,
    byTier: Object.fromEntries([...s.byTierNanos].map(([tier, nanos]) => [tier, nanosToUsd(nanos)])),
    byModel: Object.fromEntries(s.byModel.map((m) => [m.model, modelUsage(m.model, m.totals)])),
    byTokenClass: Object.fromEntries(Object.entries(s.byTokenClassNanos).map(([cls, nanos]) => [cls, nanosToUsd(nanos)])),
    topSession:
      s.topSession === undefined ? null : { sessionId: s.topSession.sessionId, total_cost_usd: nanosToUsd(s.topSession.costNanos), messageCount: s.topSession.events, agent: s.topSession.agent },
    budget:
      b === undefined
        ? null
        : {
            budget_usd: nanosToUsd(b.budget.amountNanos),
            setAt: new Date(b.budget.setAt).toISOString(),
            spent_usd: nanosToUsd(b.spentNanos),
            utilization: Number.isFinite(b.utilizationPct) ? b.utilizationPct / 100 : null,
            level: b.level,
            scope: b.budget.scope,
            period: b.budget.period,
          },
    federation: { eventCount: c.federation.eventCount, peerCount: c.federation.peerCount, totalUsd24h: nanosToUsd(c.federation.totalNanos24h) },
    namespace: c.namespace,
    messageCount: s.events,
    since: c.since === undefined ? null : new Date(c.since).toISOString(),
    until: c.until === undefined ? null : new Date(c.until).toISOString(),
    byUser: Object.fromEntries(s.byUser.map((u) => [u.user, { total_cost_usd: nanosToUsd(u.costNanos), messageCount: u.events }])),
  };
}
