import type { PriceTable } from '../pricing/price-table.js';
import type { PeriodClock } from './admission.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GroupCommit } from './group-commit.js';
import type { KeyCache } from './key-cache.js';
import type { KeyRates } from './key-rates.js';
import type { GatewayWrites } from './ledger-writes.js';
import type { GatewaySettings } from './settings.js';
import type { UpstreamAgents } from './upstream-request.js';

/** What the request path works with: built once by the gateway, shared by every request. */
export interface ProxyContext {
  settings: GatewaySettings;
  namespace: string;
  keys: KeyCache;
  rates: KeyRates;
  authThrottle: AuthThrottle;
  writes: GatewayWrites;
  commits: GroupCommit;
  table: PriceTable;
  priceVersionId: number;
  agents: UpstreamAgents;
  metrics: GatewayMetrics;
  periods: PeriodClock;
  now(): number;
  /** One line for the operator: never a key, a credential or a body. */
  log(line: string): void;
}
