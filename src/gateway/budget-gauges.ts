import { NANOS_PER_USD } from '../core/money.js';
import { allowanceChecks, type PeriodClock } from './admission.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { KeyCache } from './key-cache.js';
import type { GatewayLedgerHandle } from './ledger-writes.js';

/**
 * Sets `budget remaining` for every key budget: its limit less what the key spent in the current
 * period and what requests in flight hold reserved. Read from the ledger when `/metrics` is scraped.
 */
export async function updateBudgetGauges(ledger: GatewayLedgerHandle, namespace: string, keys: KeyCache, metrics: GatewayMetrics, periods: PeriodClock, now: number): Promise<void> {
  const reserved = await ledger.reservedNanos(namespace);
  metrics.budgetRemaining.clear();
  for (const active of keys.all()) {
    if (active.budgets.length === 0) continue;
    const { windows } = allowanceChecks(active.budgets, now, periods);
    for (const budget of active.budgets) {
      const window = windows.get(budget.id);
      const spend = await ledger.spend({
        namespace,
        scope: { kind: 'key', value: active.key.name },
        ...(window?.since === undefined ? {} : { since: window.since }),
        ...(window?.until === undefined ? {} : { until: window.until }),
      });
      const left = budget.amountNanos - spend.costNanos - (reserved.get(budget.id) ?? 0);
      metrics.budgetRemaining.set({ key: active.key.name, budget: `key:${active.key.name}`, period: budget.period }, left / NANOS_PER_USD);
    }
  }
}
