import { planMonth, planValue, type Plan, type PlanValue } from './plan-value.js';
import type { LedgerReader } from '../ledger/ledger.js';
import type { ZoneClock } from '../core/zone-clock.js';

/** The value of each configured plan in its plan month holding `now` (local days of `clock`). */
export async function readPlanValues(ledger: Pick<LedgerReader, 'usage'>, namespace: string, plans: readonly Plan[] | undefined, clock: ZoneClock, now: number): Promise<PlanValue[]> {
  const values: PlanValue[] = [];
  for (const plan of plans ?? []) {
    const month = planMonth(plan.startDay, clock.localDay(now));
    const rows = await ledger.usage({ namespace, since: clock.startOfLocalDay(month.firstDay), until: clock.startOfLocalDay(month.endDay) }, ['model']);
    values.push(planValue(plan, month, rows));
  }
  return values;
}
