import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { CommitCheck } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { readerGrants, writerGrants } from './roles.js';
import { POSTGRES_TEST_URL, postgresTestLocation, rejection, sumsDrift } from './test-schema.js';

const T = Date.UTC(2025, 9, 10, 12);
const event = (key: string, outputTokens: number, extra: Partial<PricedEvent> = {}): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: 's1',
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  outputTokens,
  costNanos: 100 * outputTokens,
  priceVersionId: 1,
  unpriced: false,
  ...extra,
});

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let location: PostgresLocation;
let drop: () => Promise<void>;
let roles: string[];
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
  roles = [];
});
afterEach(async () => {
  for (const role of roles) await admin(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
  await drop();
});

/** A location as `role` (trust authentication on the test server: no password). */
async function as(grants: (schema: string, role: string) => string): Promise<PostgresLocation> {
  const role = `tl_test_role_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE ROLE ${role} LOGIN; ${grants(location.schema as string, role)}`);
  roles.push(role);
  const url = new URL(location.url);
  url.username = role;
  return { ...location, url: url.toString() };
}

/** PostgreSQL-specific: the grants the README documents are exactly enough. */
describe('least-privilege roles', () => {
  it("a writer commits, replaces, supersedes replays, keeps the sums through the owner's triggers, records and claims crossings", async () => {
    const owner = await openLedger(location);
    await owner.priceVersionId('p');
    const budget = await owner.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: 1, setAt: T });
    await owner.close();
    const writer = await openLedger(await as(writerGrants));
    try {
      const check: CommitCheck = {
        reads: (namespace, _span, budgets) => budgets.map((b) => ({ budget: b, periodKey: 'all', filter: { namespace, scope: { kind: 'global' } } })),
        crossings: (read, spend) => [{ budgetId: read.budget.id, periodKey: 'all', level: 'HARD_STOP', spentNanos: spend.costNanos, at: T }],
      };
      const sidechain = event('msg-1:req-b', 5, { replayKey: 'msg-1', sidechain: true, sessionId: 'agent' });
      const cursor = { path: '/l.jsonl', agent: 'claude-code', dev: 1, ino: 1, size: 1, mtimeMs: 1, offset: 1, lineCount: 1, fingerprint: 'f', state: null };
      await writer.commit(
        [
          {
            events: [event('a', 5), sidechain],
            rateLimits: [{ agent: 'codex', sessionId: 's', occurredAt: T, windows: [] }],
            drops: [{ path: '/l.jsonl', line: 1, reason: 'bad' }],
            from: undefined,
            to: cursor,
          },
        ],
        [check],
      );
      const result = await writer.commit([{ origin: 'ingest:x', events: [event('a', 9), event('msg-1:req-a', 5, { replayKey: 'msg-1' })], rateLimits: [], drops: [] }], [check]);
      expect(result).toMatchObject({ inserted: 1, replaced: 1 });
      expect(await writer.usage({ namespace: 'cost-tracking' }, [])).toEqual([expect.objectContaining({ events: 2, outputTokens: 14 })]);
      const [crossing] = await writer.crossings('cost-tracking', 0);
      expect(crossing?.budgetId).toBe(budget.id);
      expect(await writer.claimCrossing(crossing!, T)).toBe(true);
      await writer.releaseCrossing(crossing!);
      expect(await writer.recordFederation([{ namespace: 'cost-tracking', peerId: 'p', taskId: 't', tokensUsed: 1, usdNanos: 1, occurredAt: T }])).toMatchObject({ inserted: 1 });
      expect((await writer.changes(0, 10)).events).toHaveLength(2);
      // What a writer may not do: change budgets.
      expect(await rejection(writer.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: 5, setAt: T }))).toMatchObject({ code: 'LEDGER_DENIED' });
    } finally {
      await writer.close();
    }
    expect(await sumsDrift(location)).toEqual([]);
  });

  it("a writer (a gateway) admits, settles, releases and expires reservations and resets meters; keys are the owner's to create", async () => {
    const owner = await openLedger(location);
    await owner.priceVersionId('p');
    await owner.createKey({ namespace: 'cost-tracking', name: 'alice', secretHash: 'h', secretPrefix: 'tlk_AbCd', createdAt: T });
    const budget = await owner.setBudget({ namespace: 'cost-tracking', scope: 'key:alice', period: 'all', amountNanos: 10_000, setAt: T });
    await owner.close();
    const writer = await openLedger(await as(writerGrants));
    try {
      const check = { budgetId: budget.id, periodKey: 'all', limitNanos: 10_000 };
      const admission = (id: string) => ({ id, namespace: 'cost-tracking', key: 'alice', amountNanos: 4_000, checks: [check], at: T, expiresAt: T + 1_000 });
      expect(await writer.admit(admission('r1'))).toEqual({ admitted: true });
      expect(await writer.admit(admission('r2'))).toEqual({ admitted: true });
      expect(await writer.admit(admission('r3'))).toMatchObject({ admitted: false });
      const tokens = { ...emptyTokens(), inputTokens: 10 };
      await writer.commit([
        {
          origin: 'gateway:test',
          events: [event('g1', 5, { agent: 'gateway', sessionId: 'alice' })],
          rateLimits: [],
          drops: [],
          settlements: [{ reservationId: 'r1', namespace: 'cost-tracking', key: 'alice', costNanos: 500, tokens, at: T }],
        },
      ]);
      await writer.releaseReservations(['r2']);
      expect(await writer.admit(admission('r4'))).toEqual({ admitted: true });
      expect(await writer.expireReservations(T + 2_000)).toBe(1);
      expect(await writer.reservedNanos('cost-tracking')).toEqual(new Map());
      expect((await writer.keyMeters('cost-tracking'))[0]).toMatchObject({ promptCount: 1, costNanos: 500 });
      expect(await writer.resetMeters('cost-tracking', 'all', T + 3_000)).toBe(1);
      expect(await rejection(writer.createKey({ namespace: 'cost-tracking', name: 'bob', secretHash: 'h', secretPrefix: 'tlk_AbCd', createdAt: T }))).toMatchObject({ code: 'LEDGER_DENIED' });
    } finally {
      await writer.close();
    }
  });

  it('a reader reports and is denied every write', async () => {
    await (await openLedger(location)).close();
    const reader = await openLedger(await as(readerGrants));
    try {
      expect(await reader.usage({ namespace: 'cost-tracking' }, ['session'])).toEqual([]);
      expect(await reader.changes(0, 10)).toEqual({ events: [], drops: [], next: 0 });
      expect(await rejection(reader.commit([{ origin: 'ingest:x', events: [event('a', 1)], rateLimits: [], drops: [] }]))).toMatchObject({ code: 'LEDGER_DENIED' });
      // Reports ask for the current prices' version: a label the ledger lacks is none of its events'.
      expect(await reader.priceVersionId('new')).toBe(0);
      expect(await reader.hasStale(0)).toBe(false);
    } finally {
      await reader.close();
    }
  });
});
