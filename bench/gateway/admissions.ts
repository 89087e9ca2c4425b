import { randomBytes } from 'node:crypto';
import { ZoneClock } from '../../src/core/zone-clock.js';
import { emptyTokens, type PricedEvent } from '../../src/core/usage-event.js';
import { allowanceChecks } from '../../src/gateway/admission.js';
import { hashSecret, newSecret, secretPrefix } from '../../src/gateway/keys/secret.js';
import type { GatewayLedgerHandle, GatewayWrites } from '../../src/gateway/ledger-writes.js';
import { type AllowanceCheck, GATEWAY_AGENT, type Settlement } from '../../src/ledger/gateway-keys.js';

const NAMESPACE = 'cost-tracking';
/** A monthly budget no bench run comes near: every admission fits. */
const LIMIT_NANOS = 1_000_000 * 1e9;
const AMOUNT_NANOS = 2_000_000;
const COST_NANOS = 1_200_000;
/** Admissions in flight at once, as from 64 clients. */
const IN_FLIGHT = 64;
/** Settlements per commit, as a busy gateway's group commit gathers them. */
const SETTLE_BATCH = 200;
/** Reservations a crashed run leaves expire after this. */
const RESERVATION_TTL_MS = 10 * 60_000;
const PERIODS = { clock: new ZoneClock('UTC'), startOfWeek: 'monday' as const };

export interface BenchKey {
  name: string;
  checks: AllowanceCheck[];
}

/** `count` keys made through the ledger, each with a monthly `key:` budget, and the checks an admission of each runs now. */
export async function benchKeys(ledger: GatewayLedgerHandle, count: number, label: string): Promise<BenchKey[]> {
  const keys: BenchKey[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const name = `bench-${label}-${i}`;
    const secret = newSecret();
    await ledger.createKey({ namespace: NAMESPACE, name, secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: now });
    const budget = await ledger.setBudget({ namespace: NAMESPACE, scope: `key:${name}`, period: 'month', amountNanos: LIMIT_NANOS, setAt: now });
    keys.push({ name, checks: allowanceChecks([budget], now, PERIODS).checks });
  }
  return keys;
}

export interface AdmissionRates {
  admitsPerSecond: number;
  /** Admitted requests settled per second: their events and settlements committed in groups of `SETTLE_BATCH`. */
  settlesPerSecond: number;
}

function settled(i: number, id: string, key: string, priceVersionId: number): { event: PricedEvent; settlement: Settlement } {
  const at = Date.now();
  const tokens = { ...emptyTokens(), inputTokens: 19, outputTokens: 10 };
  const event: PricedEvent = {
    ...tokens,
    agent: GATEWAY_AGENT,
    provider: 'openai',
    model: 'gpt-4o-mini',
    sessionId: key,
    project: '',
    occurredAt: at,
    dedupKey: `gateway:bench:${id}:${i}`,
    namespace: NAMESPACE,
    costNanos: COST_NANOS,
    priceVersionId,
    unpriced: false,
  };
  return { event, settlement: { reservationId: id, namespace: NAMESPACE, key, costNanos: COST_NANOS, tokens, at } };
}

/**
 * `count` admissions through the gateway's writes, spread over `keys` round robin, `IN_FLIGHT` at
 * a time; then each admitted request settled: its event and settlement committed in groups, as
 * the gateway's group commit does.
 */
export async function admissionRates(writes: GatewayWrites, keys: readonly BenchKey[], count: number, priceVersionId: number): Promise<AdmissionRates> {
  const run = randomBytes(4).toString('hex');
  const id = (i: number): string => `bench-${run}-${i}`;
  const keyOf = (i: number): BenchKey => keys[i % keys.length] as BenchKey;
  let next = 0;
  const admitter = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const key = keyOf(i);
      const at = Date.now();
      const result = await writes.admit({ id: id(i), namespace: NAMESPACE, key: key.name, amountNanos: AMOUNT_NANOS, checks: key.checks, at, expiresAt: at + RESERVATION_TTL_MS });
      if (!result.admitted) throw new Error(`admission ${i} of ${key.name} was refused: the bench budget should fit every request`);
    }
  };
  const admitStarted = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, admitter));
  const admitMs = performance.now() - admitStarted;

  const settleStarted = performance.now();
  for (let from = 0; from < count; from += SETTLE_BATCH) {
    const group = Array.from({ length: Math.min(SETTLE_BATCH, count - from) }, (_, k) => settled(from + k, id(from + k), keyOf(from + k).name, priceVersionId));
    await writes.commit({ origin: 'gateway:bench', events: group.map((g) => g.event), rateLimits: [], drops: [], settlements: group.map((g) => g.settlement) });
  }
  const settleMs = performance.now() - settleStarted;
  return { admitsPerSecond: count / (admitMs / 1000), settlesPerSecond: count / (settleMs / 1000) };
}
