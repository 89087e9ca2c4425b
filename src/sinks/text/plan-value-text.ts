import type { PlanValue } from '../../analytics/plan-value.js';
import { dayKey } from '../../core/calendar.js';
import { groupDigits } from '../../core/money.js';
import { terminalText } from '../../core/terminal-text.js';

/** `$1,234` (whole dollars from $100 up), else `$19.99`. */
function dollars(nanos: number): string {
  const usd = nanos / 1e9;
  if (usd >= 100 || Number.isInteger(usd)) return `$${groupDigits(Math.round(usd).toString())}`;
  return `$${usd.toFixed(2)}`;
}

/** `Claude Max 20x (anthropic): $1,234 API-equivalent on a $200 plan: 6.2x this month (2025-10-01 to 2025-10-31)`. */
export function planValueText(value: PlanValue): string {
  const last = dayKey(value.month.endDay - 1);
  return (
    `${terminalText(value.plan.name)} (${value.plan.provider}): ${dollars(value.apiEquivalentNanos)} API-equivalent on a ${dollars(value.plan.monthlyNanos)} plan: ` +
    `${value.multiple.toFixed(1)}x this month (${dayKey(value.month.firstDay)} to ${last})`
  );
}

/** The note under a report whose costs include usage a plan covers. */
export function planNoteLines(values: readonly PlanValue[]): string[] {
  if (values.length === 0) return [];
  const providers = values.map((v) => v.plan.provider).join(', ');
  return [`Costs of ${providers} are API-equivalent: what the usage would cost at API prices, not what the plan charges.`, ...values.map(planValueText)];
}
