import { expect, it } from 'vitest';
import { TokenledgerError } from '../../core/errors.js';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import { GATEWAY_AGENT, type Admission, type AllowanceCheck, type GatewayKey, type Settlement } from '../gateway-keys.js';
import type { CommitCheck, Ledger } from '../ledger.js';
import { eachEngine, type EngineCase } from './each-engine.js';

const NS = 'cost-tracking';
const T = Date.UTC(2026, 2, 10, 12);
const USD = 1_000_000_000;
const HOUR = 3_600_000;

const key = (name: string, extra: Partial<GatewayKey> = {}): GatewayKey => ({
  namespace: NS,
  name,
  secretHash: `hash-of-${name}`,
  secretPrefix: 'tlk_AbCd',
  createdAt: T - HOUR,
  ...extra,
});

/** A `key:` budget of `name` and the check of its period `periodKey` starting at `periodStart`. */
async function keyBudget(ledger: Ledger, name: string, limitNanos: number, periodKey = 'all', periodStart?: number, periodEnd?: number): Promise<AllowanceCheck> {
  const budget = await ledger.setBudget({ namespace: NS, scope: `key:${name}`, period: periodKey === 'all' ? 'all' : 'today', amountNanos: limitNanos, setAt: T - HOUR });
  return { budgetId: budget.id, periodKey, limitNanos, ...(periodStart === undefined ? {} : { periodStart }), ...(periodEnd === undefined ? {} : { periodEnd }) };
}

const admission = (id: string, name: string, amountNanos: number, checks: AllowanceCheck[], extra: Partial<Admission> = {}): Admission => ({
  id,
  namespace: NS,
  key: name,
  amountNanos,
  checks,
  at: T,
  expiresAt: T + HOUR,
  ...extra,
});

/** A gateway request's event: agent `gateway`, the key's name as session. */
function gatewayEvent(name: string, dedupKey: string, costNanos: number, occurredAt = T, extra: Partial<PricedEvent> = {}): PricedEvent {
  return {
    ...emptyTokens(),
    inputTokens: 100,
    outputTokens: 20,
    agent: GATEWAY_AGENT,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: name,
    project: '',
    occurredAt,
    dedupKey,
    namespace: NS,
    costNanos,
    priceVersionId: 0,
    unpriced: false,
    ...extra,
  };
}

const settlement = (name: string, costNanos: number, reservationId?: string, at = T): Settlement => ({
  ...(reservationId === undefined ? {} : { reservationId }),
  namespace: NS,
  key: name,
  costNanos,
  tokens: { ...emptyTokens(), inputTokens: 100, outputTokens: 20, cacheReadTokens: 5 },
  at,
});

/** Commits gateway events with their settlements, as the gateway's group commit does. */
async function commitRequests(ledger: Ledger, events: PricedEvent[], settlements: Settlement[], checks?: CommitCheck[]) {
  const priceVersionId = await ledger.priceVersionId('fixture prices');
  return ledger.commit([{ origin: 'gateway:test', events: events.map((e) => ({ ...e, priceVersionId })), rateLimits: [], drops: [], settlements }], checks);
}

const admitted = async (ledger: Ledger, admissions: Admission[]): Promise<number> => (await Promise.all(admissions.map((a) => ledger.admit(a)))).filter((r) => r.admitted).length;

eachEngine('gateway keys', (t: EngineCase) => {
  it('creates, lists, changes keys; a second key of one name fails as KEY_EXISTS, revoked or not', async () => {
    await t.ledger.createKey(key('bob', { rpm: 60, tpm: 100_000, project: 'app' }));
    await t.ledger.createKey(key('alice'));
    expect((await t.ledger.gatewayKeys(NS)).map((k) => k.name)).toEqual(['alice', 'bob']);
    expect((await t.ledger.gatewayKeys(NS))[1]).toEqual(key('bob', { rpm: 60, tpm: 100_000, project: 'app' }));
    expect(await t.ledger.gatewayKeys('elsewhere')).toEqual([]);
    expect(await t.ledger.updateKey(NS, 'alice', { revokedAt: T })).toBe(true);
    expect(await t.ledger.updateKey(NS, 'alice', { secretHash: 'new-hash', secretPrefix: 'tlk_XyZw', rotatedAt: T + 1 })).toBe(true);
    expect(await t.ledger.updateKey(NS, 'carol', { revokedAt: T })).toBe(false);
    expect((await t.ledger.gatewayKeys(NS))[0]).toEqual(key('alice', { revokedAt: T, secretHash: 'new-hash', secretPrefix: 'tlk_XyZw', rotatedAt: T + 1 }));
    const again = await t.ledger.createKey(key('alice')).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TokenledgerError);
    expect((again as TokenledgerError).code).toBe('KEY_EXISTS');
    // The same name in another namespace is another key.
    await t.ledger.createKey({ ...key('alice'), namespace: 'elsewhere' });
  });

  it('meters each settled request; a reset starts a new epoch at zero and the events stay', async () => {
    await t.ledger.createKey(key('alice'));
    await t.ledger.createKey(key('bob'));
    const zero = { ...emptyTokens(), promptCount: 0, costNanos: 0, reportedCostNanos: 0 };
    expect(await t.ledger.keyMeters(NS)).toEqual([
      { namespace: NS, name: 'alice', ...zero, resetAt: T - HOUR },
      { namespace: NS, name: 'bob', ...zero, resetAt: T - HOUR },
    ]);
    await commitRequests(
      t.ledger,
      [gatewayEvent('alice', 'r1', 3_000), gatewayEvent('alice', 'r2', 4_000)],
      [settlement('alice', 3_000, undefined, T + 5), { ...settlement('alice', 4_000, undefined, T + 2), reportedCostNanos: 4_500 }],
    );
    const [alice] = await t.ledger.keyMeters(NS, ['alice']);
    expect(alice).toEqual({
      namespace: NS,
      name: 'alice',
      ...emptyTokens(),
      inputTokens: 200,
      outputTokens: 40,
      cacheReadTokens: 10,
      promptCount: 2,
      costNanos: 7_000,
      reportedCostNanos: 4_500,
      lastActivityAt: T + 5,
      resetAt: T - HOUR,
    });
    expect(await t.ledger.resetMeters(NS, ['alice', 'nobody'], T + 10)).toBe(1);
    expect(await t.ledger.keyMeters(NS, ['alice'])).toEqual([{ namespace: NS, name: 'alice', ...zero, resetAt: T + 10 }]);
    await commitRequests(t.ledger, [gatewayEvent('bob', 'r3', 1_000)], [settlement('bob', 1_000)]);
    expect(await t.ledger.resetMeters(NS, 'all', T + 20)).toBe(2);
    expect((await t.ledger.keyMeters(NS)).map((m) => [m.name, m.promptCount, m.resetAt])).toEqual([
      ['alice', 0, T + 20],
      ['bob', 0, T + 20],
    ]);
    // The ledger keeps every event: reports still show the history.
    expect((await t.ledger.spend({ namespace: NS, scope: { kind: 'key', value: 'alice' } })).costNanos).toBe(7_000);
    expect((await t.ledger.spend({ namespace: NS, scope: { kind: 'key', value: 'bob' } })).costNanos).toBe(1_000);
  });

  it('settles in the commit: the reservation goes, the spend grows; a failed commit leaves meter and reservation untouched', async () => {
    await t.ledger.createKey(key('alice'));
    const check = await keyBudget(t.ledger, 'alice', 10 * USD);
    expect(await t.ledger.admit(admission('req-1', 'alice', 2 * USD, [check]))).toEqual({ admitted: true });
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map([[check.budgetId, 2 * USD]]));
    const failing: CommitCheck = {
      reads: () => {
        throw new Error('the check failed');
      },
      crossings: () => [],
    };
    await expect(commitRequests(t.ledger, [gatewayEvent('alice', 'r1', USD / 2)], [settlement('alice', USD / 2, 'req-1')], [failing])).rejects.toThrow('the check failed');
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map([[check.budgetId, 2 * USD]]));
    expect((await t.ledger.keyMeters(NS))[0]?.promptCount).toBe(0);
    // Settled: $0.50 spent, nothing reserved; $9.50 left.
    await commitRequests(t.ledger, [gatewayEvent('alice', 'r1', USD / 2)], [settlement('alice', USD / 2, 'req-1')]);
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map());
    expect((await t.ledger.keyMeters(NS))[0]?.promptCount).toBe(1);
    expect(await t.ledger.admit(admission('req-2', 'alice', 9.6 * USD, [check]))).toEqual({ admitted: false, budgetId: check.budgetId, limitNanos: 10 * USD, spentNanos: USD / 2, reservedNanos: 0 });
    expect(await t.ledger.admit(admission('req-3', 'alice', 9.5 * USD, [check]))).toEqual({ admitted: true });
    // A settlement counts once even when its event was a duplicate; releasing a settled id does nothing.
    await commitRequests(t.ledger, [gatewayEvent('alice', 'r1', USD / 2)], [settlement('alice', USD / 4, 'req-3')]);
    await t.ledger.releaseReservations(['req-3', 'unknown']);
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map());
    expect((await t.ledger.keyMeters(NS))[0]?.promptCount).toBe(2);
    expect(await t.ledger.admit(admission('req-4', 'alice', 9.25 * USD, [check]))).toEqual({ admitted: true });
    expect((await t.ledger.admit(admission('req-5', 'alice', 1, [check]))).admitted).toBe(false);
  });

  it('of 50 concurrent $1 admissions against $10.50 with nothing spent, admits exactly 10; with settlements between, exactly what fits', async () => {
    await t.ledger.createKey(key('alice'));
    const check = await keyBudget(t.ledger, 'alice', 10.5 * USD);
    const other = await t.open();
    const racing = Array.from({ length: 50 }, (_, i) => admission(`a${i}`, 'alice', USD, [check]));
    const results = await Promise.all(racing.map((a, i) => (i % 2 === 0 ? t.ledger : other).admit(a)));
    expect(results.filter((r) => r.admitted).length).toBe(10);
    const ids = racing.filter((_, i) => results[i]?.admitted === true).map((a) => a.id);
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map([[check.budgetId, 10 * USD]]));
    // Three settle at $0.50 and two are released: $1.50 spent, $5 reserved, room for 4 more.
    await commitRequests(
      t.ledger,
      ids.slice(0, 3).map((id) => gatewayEvent('alice', id, USD / 2)),
      ids.slice(0, 3).map((id) => settlement('alice', USD / 2, id)),
    );
    await other.releaseReservations(ids.slice(3, 5));
    expect(
      await admitted(
        t.ledger,
        Array.from({ length: 50 }, (_, i) => admission(`b${i}`, 'alice', USD, [check])),
      ),
    ).toBe(4);
    const refused = await t.ledger.admit(admission('c', 'alice', USD, [check]));
    expect(refused).toEqual({ admitted: false, budgetId: check.budgetId, limitNanos: 10.5 * USD, spentNanos: 1.5 * USD, reservedNanos: 9 * USD });
  });

  it('checks every budget in budget-id order, reserves against all or none, and names the first without room', async () => {
    await t.ledger.createKey(key('alice'));
    const all = await keyBudget(t.ledger, 'alice', 5 * USD);
    const today = await keyBudget(t.ledger, 'alice', 2 * USD, '2026-03-10', T - 12 * HOUR, T + 12 * HOUR);
    expect(await t.ledger.admit(admission('r1', 'alice', 1.5 * USD, [today, all]))).toEqual({ admitted: true });
    expect(await t.ledger.admit(admission('r2', 'alice', USD, [today, all]))).toEqual({ admitted: false, budgetId: today.budgetId, limitNanos: 2 * USD, spentNanos: 0, reservedNanos: 1.5 * USD });
    expect(await t.ledger.reservedNanos(NS)).toEqual(
      new Map([
        [all.budgetId, 1.5 * USD],
        [today.budgetId, 1.5 * USD],
      ]),
    );
  });

  it('drops reservations of a crashed gateway once they expire', async () => {
    await t.ledger.createKey(key('alice'));
    const check = await keyBudget(t.ledger, 'alice', 3 * USD);
    await t.ledger.admit(admission('r1', 'alice', 2 * USD, [check], { expiresAt: T + 1_000 }));
    await t.ledger.admit(admission('r2', 'alice', USD, [check], { expiresAt: T + 5_000 }));
    expect((await t.ledger.admit(admission('r3', 'alice', USD, [check]))).admitted).toBe(false);
    expect(await t.ledger.expireReservations(T + 1_000)).toBe(0);
    expect(await t.ledger.expireReservations(T + 2_000)).toBe(1);
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map([[check.budgetId, USD]]));
    expect(await t.ledger.admit(admission('r3', 'alice', 2 * USD, [check]))).toEqual({ admitted: true });
    expect(await t.ledger.expireReservations(T + 2 * HOUR)).toBe(2);
    expect(await t.ledger.reservedNanos(NS)).toEqual(new Map());
  });

  it('starts a period with what the events of the key say was spent in it; settlements count only in the period that holds them', async () => {
    await t.ledger.createKey(key('alice'));
    const DAY = 24 * HOUR;
    const day1 = Date.UTC(2026, 2, 9);
    const day2 = day1 + DAY;
    // Spent before the gateway admitted anything: $1 on day 1, $2 on day 2, and $4 of another key.
    await commitRequests(t.ledger, [gatewayEvent('alice', 'e1', USD, day1 + HOUR), gatewayEvent('alice', 'e2', 2 * USD, day2 + HOUR), gatewayEvent('bob', 'e3', 4 * USD, day2 + HOUR)], []);
    const first = await keyBudget(t.ledger, 'alice', 5 * USD, '2026-03-09', day1, day2);
    expect(await t.ledger.admit(admission('r1', 'alice', 4.5 * USD, [first]))).toEqual({ admitted: false, budgetId: first.budgetId, limitNanos: 5 * USD, spentNanos: 3 * USD, reservedNanos: 0 });
    // The next day: only day 2's spend counts.
    const second = { ...first, periodKey: '2026-03-10', periodStart: day2, periodEnd: day2 + DAY };
    expect(await t.ledger.admit(admission('r2', 'alice', 2.5 * USD, [second]))).toEqual({ admitted: true });
    // A request that ends on day 2 adds to it; one stamped on day 1 does not.
    await commitRequests(
      t.ledger,
      [gatewayEvent('alice', 'e4', USD / 4, day2 + 2 * HOUR)],
      [settlement('alice', USD / 4, 'r2', day2 + 2 * HOUR), settlement('alice', USD, undefined, day1 + 2 * HOUR)],
    );
    expect(await t.ledger.admit(admission('r3', 'alice', 5 * USD, [second]))).toEqual({ admitted: false, budgetId: first.budgetId, limitNanos: 5 * USD, spentNanos: 2.25 * USD, reservedNanos: 0 });
  });

  it('forgets the allowance of a removed budget: a budget set later starts afresh, whatever id it is given', async () => {
    await t.ledger.createKey(key('alice'));
    await t.ledger.createKey(key('bob'));
    const alice = await keyBudget(t.ledger, 'alice', 5 * USD);
    const both = await keyBudget(t.ledger, 'bob', 5 * USD);
    expect(await t.ledger.admit(admission('r1', 'alice', 4 * USD, [alice]))).toEqual({ admitted: true });
    expect(await t.ledger.admit(admission('r2', 'bob', 4 * USD, [both]))).toEqual({ admitted: true });
    expect(await t.ledger.removeBudget(NS, 'key:bob', 'all')).toBe(true);
    const again = await keyBudget(t.ledger, 'carol', 5 * USD);
    expect(await t.ledger.admit(admission('r3', 'carol', 5 * USD, [again]))).toEqual({ admitted: true });
    // Releasing what the removed budget held changes nothing of the others.
    await t.ledger.releaseReservations(['r2']);
    expect(await t.ledger.reservedNanos(NS)).toEqual(
      new Map([
        [alice.budgetId, 4 * USD],
        [again.budgetId, 5 * USD],
      ]),
    );
  });

  it("counts a `key:` budget's spend from the key's gateway events only", async () => {
    await commitRequests(t.ledger, [gatewayEvent('alice', 'g1', 700), gatewayEvent('bob', 'g2', 50)], []);
    await t.record([{ occurredAt: T, costNanos: 9_000, sessionId: 'alice' }]);
    expect(await t.ledger.spend({ namespace: NS, scope: { kind: 'key', value: 'alice' } })).toEqual({ costNanos: 700, sessions: 1 });
  });

  it('keeps what a provider said a request cost, and changes() carries it', async () => {
    await commitRequests(t.ledger, [gatewayEvent('alice', 'g1', 700, T, { reportedCostNanos: 812 }), gatewayEvent('alice', 'g2', 50)], []);
    const page = await t.ledger.changes(0, 10);
    expect(page.events.map((e) => [e.dedupKey, e.reportedCostNanos])).toEqual([
      ['g1', 812],
      ['g2', undefined],
    ]);
  });

  for (const gatewayFirst of [true, false]) {
    it(`counts a request the gateway metered and an agent logged once, filed under the key (${gatewayFirst ? 'gateway copy first' : 'log copy first'})`, async () => {
      const logCopy = gatewayEvent('alice', 'claude-code:msg_1:req_1', 900, T, { agent: 'claude-code', sessionId: 'sess-uuid', project: '/home/dev/app', outputTokens: 400 });
      const gatewayCopy = gatewayEvent('alice', 'claude-code:msg_1:req_1', 800);
      for (const e of gatewayFirst ? [gatewayCopy, logCopy] : [logCopy, gatewayCopy]) await commitRequests(t.ledger, [e], []);
      const events = await t.inspector.events();
      expect(events.map((e) => [e.agent, e.sessionId, e.costNanos])).toEqual([[GATEWAY_AGENT, 'alice', 800]]);
      expect((await t.ledger.spend({ namespace: NS, scope: { kind: 'global' } })).costNanos).toBe(800);
      await t.assertConsistent();
    });
  }
});
