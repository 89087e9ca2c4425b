import { crossingMessage } from '../budgets/crossing-message.js';
import type { BudgetStatus } from '../budgets/evaluate.js';
import { RECOMMENDED_ACTION, type Level, type Thresholds } from '../budgets/ladder.js';
import { nanosToUsd } from '../core/money.js';
import type { RecordedCrossing } from '../ledger/ledger.js';

/**
 * The JSON document POSTed to `alerts.webhook.url` for one level a budget reached (documented in
 * the README; fields are only ever added). `text` is the same line as on stderr, so chat webhooks
 * that show a `text` field (Slack, Mattermost) show something readable as it is.
 */
export interface CrossingAlert {
  kind: 'tokenledger.budget.crossing';
  text: string;
  namespace: string;
  level: Level;
  /** Utilization (percent) at which the level starts. */
  thresholdPct: number | null;
  budget: { scope: string; period: string; limitUsd: number };
  /** The period instance the level was reached in (`2025-10-10`, `week 2025-10-06`, `2025-10`, `all`, `7d@2025-10-10`). */
  periodKey: string;
  periodStart: string | null;
  periodEnd: string | null;
  /** Spend in the period when the level was reached. */
  spentUsd: number;
  utilizationPct: number | null;
  recommendedAction: string;
  crossedAt: string;
  sentAt: string;
}

const THRESHOLD_OF: Record<Level, keyof Thresholds | undefined> = { OK: undefined, INFO: 'info', WARNING: 'warning', CRITICAL: 'critical', HARD_STOP: 'hardStop' };

/**
 * The alert for `crossing`; `status` is its budget evaluated at the spend the crossing was recorded
 * with (several levels crossed in one commit share it, so the level's own threshold and action are used).
 */
export function crossingAlert(crossing: RecordedCrossing, status: BudgetStatus, thresholds: Thresholds, sentAt: number): CrossingAlert {
  const level = crossing.level as Level;
  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    kind: 'tokenledger.budget.crossing',
    text: crossingMessage(level, status),
    namespace: crossing.budget.namespace,
    level,
    thresholdPct: THRESHOLD_OF[level] === undefined ? null : thresholds[THRESHOLD_OF[level]],
    budget: { scope: crossing.budget.scope, period: crossing.budget.period, limitUsd: nanosToUsd(crossing.budget.amountNanos) },
    periodKey: crossing.periodKey,
    periodStart: iso(status.window.since),
    periodEnd: iso(status.window.until),
    spentUsd: nanosToUsd(crossing.spentNanos),
    utilizationPct: Number.isFinite(status.utilizationPct) ? Math.round(status.utilizationPct * 100) / 100 : null,
    recommendedAction: RECOMMENDED_ACTION[level],
    crossedAt: new Date(crossing.at).toISOString(),
    sentAt: new Date(sentAt).toISOString(),
  };
}
