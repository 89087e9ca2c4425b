import type { PlanValue } from '../../analytics/plan-value.js';
import { dayKey } from '../../core/calendar.js';
import { nanosToUsd } from '../../core/money.js';

/** One plan's value as reports' JSON carries it (`plans[]`); its provider's costs elsewhere are API-equivalent. */
export function planJson(value: PlanValue): Record<string, unknown> {
  return {
    provider: value.plan.provider,
    plan: value.plan.name,
    monthlyUsd: nanosToUsd(value.plan.monthlyNanos),
    periodStart: dayKey(value.month.firstDay),
    periodEnd: dayKey(value.month.endDay - 1),
    costBasis: 'api-equivalent',
    apiEquivalentUsd: nanosToUsd(value.apiEquivalentNanos),
    valueMultiple: Math.round(value.multiple * 100) / 100,
  };
}
