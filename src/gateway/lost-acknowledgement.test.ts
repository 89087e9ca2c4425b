import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT, type Settlement } from '../ledger/gateway-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { postgresTestLocation } from '../ledger/engines/postgres/test-schema.js';
import { TcpHop } from '../testing/tcp-hop.js';
import { GroupCommit } from './group-commit.js';
import { directWrites, type GatewayWrites } from './ledger-writes.js';
import { SpillJournal } from './spill-journal.js';

const NS = 'cost-tracking';
const T = Date.UTC(2026, 2, 10, 12);
const RECORDER = { user: 'test@host', machine: 'machine-1' };
const LADDER = { timeZone: 'UTC', startOfWeek: 'monday' as const, thresholds: DEFAULT_THRESHOLDS };
const BUDGET_NANOS = 1_000_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A ledger whose next commit acknowledgement can be lost: the commit lands, the gateway hears a failure. */
interface Lossy {
  ledger: Ledger;
  writes: GatewayWrites;
  /** Loses the next commit's acknowledgement; resolves once that commit is durable. */
  loseNextAck(): Promise<void>;
}

const engines: Record<string, () => Promise<Lossy>> = {
  // The connection breaks after the server committed and before its answer reached the gateway.
  postgres: async () => {
    const pg = await postgresTestLocation();
    cleanups.push(() => pg.drop());
    const hop = new TcpHop();
    await hop.open();
    cleanups.push(() => hop.cut());
    const ledger = await openLedger({ ...pg.location, url: `postgres://postgres@127.0.0.1:${hop.port}/postgres` }, { recorder: RECORDER });
    cleanups.push(() => ledger.close());
    return { ledger, writes: directWrites(ledger, LADDER), loseNextAck: () => hop.loseNextCommitReply() };
  },
  // No connection to break: the commit is made, then its answer is replaced by a failure.
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-ack-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') }, { recorder: RECORDER });
    cleanups.push(() => ledger.close());
    const real = directWrites(ledger, LADDER);
    let lose: (() => void) | undefined;
    const writes: GatewayWrites = {
      ...real,
      commit: async (batch) => {
        const result = await real.commit(batch);
        const lost = lose;
        lose = undefined;
        if (lost === undefined) return result;
        lost();
        throw new Error('connection lost before the answer');
      },
    };
    return { ledger, writes, loseNextAck: () => new Promise<void>((resolve) => (lose = resolve)) };
  },
};

describe.each(Object.keys(engines))('a group commit on %s', (engine) => {
  async function setUp(): Promise<Lossy & { budgetId: number; priceVersionId: number }> {
    const lossy = await (engines[engine] as () => Promise<Lossy>)();
    const { ledger } = lossy;
    const priceVersionId = await ledger.priceVersionId('test prices');
    await ledger.createKey({ namespace: NS, name: 'alice', secretHash: 'h', secretPrefix: 'tlk_x', createdAt: T - 1000 });
    const budget = await ledger.setBudget({ namespace: NS, scope: 'key:alice', period: 'all', amountNanos: BUDGET_NANOS, setAt: T - 1000 });
    // The key's allowance starts with its first admission; settlements add to its spent sum from then on.
    expect(await ledger.admit(admission('opening', 1, budget.id))).toEqual({ admitted: true });
    await ledger.releaseReservations(['opening']);
    return { ...lossy, budgetId: budget.id, priceVersionId };
  }

  /** The key's meter, its events, and its budget's spent sum (read from a refused admission). */
  async function settled(ledger: Ledger, budgetId: number): Promise<{ prompts: number; costNanos: number; events: number; spentNanos: number }> {
    const [meter] = await ledger.keyMeters(NS, ['alice']);
    const [totals] = await ledger.usage({ namespace: NS, agents: [GATEWAY_AGENT] }, []);
    const refused = await ledger.admit(admission('probe', BUDGET_NANOS, budgetId));
    if (refused.admitted) throw new Error('the probe was admitted');
    return { prompts: meter?.promptCount ?? 0, costNanos: meter?.costNanos ?? 0, events: totals?.events ?? 0, spentNanos: refused.spentNanos };
  }

  it('tried again after a lost acknowledgement, settles each request once (new requests joining the retry)', async () => {
    const { ledger, writes, loseNextAck, budgetId, priceVersionId } = await setUp();
    const lost = loseNextAck();
    const failures: unknown[] = [];
    const committed: number[] = [];
    const commits = new GroupCommit({
      writes,
      origin: 'gateway:test',
      windowMs: 1,
      retryMs: 1,
      onCommitted: (n) => committed.push(n),
      onFailure: (error) => {
        failures.push(error);
        // Arriving while the commit is in doubt: a retry merging them into its range would be applied whole.
        if (failures.length === 1) for (let i = 4; i <= 6; i++) commits.settle(event(i, priceVersionId), settlement(i));
      },
    });
    for (let i = 1; i <= 3; i++) commits.settle(event(i, priceVersionId), settlement(i));
    await commits.flush();
    await lost;
    expect(failures).toHaveLength(1);
    expect(committed.reduce((a, b) => a + b, 0)).toBe(6);
    expect(await settled(ledger, budgetId)).toEqual({ prompts: 6, costNanos: 6_000, events: 6, spentNanos: 6_000 });
    // One cursor for the process's commit stream, at the requests it committed.
    const streams = [...(await ledger.cursors()).values()].filter((c) => c.path.startsWith('gateway:test:'));
    expect(streams.map((c) => c.offset)).toEqual([6]);
  });

  it('runs as before without failures: one stream cursor per process start', async () => {
    const { ledger, writes, budgetId, priceVersionId } = await setUp();
    for (const round of [0, 1]) {
      const commits = new GroupCommit({ writes, origin: 'gateway:test', windowMs: 1 });
      for (let i = 1; i <= 3; i++) commits.settle(event(round * 10 + i, priceVersionId), settlement(i));
      await commits.flush();
      commits.settle(event(round * 10 + 4, priceVersionId), settlement(4));
      await commits.flush();
    }
    expect(await settled(ledger, budgetId)).toEqual({ prompts: 8, costNanos: 8_000, events: 8, spentNanos: 8_000 });
    const streams = [...(await ledger.cursors()).values()].filter((c) => c.path.startsWith('gateway:test:'));
    expect(streams.map((c) => c.offset)).toEqual([4, 4]);
  });

  it('spills a commit in doubt at the drain deadline with its range: replayed, it settles once whether or not it had landed', async () => {
    const { ledger, writes, loseNextAck, budgetId, priceVersionId } = await setUp();
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-ack-spill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const journal = new SpillJournal(join(dir, 'spill'));
    // The first commit lands unacknowledged; the ledger then stays away until the drain deadline.
    let down = false;
    const away: GatewayWrites = { ...writes, commit: (batch) => (down ? Promise.reject(new Error('connection refused')) : writes.commit(batch)) };
    const lost = loseNextAck();
    const commits = new GroupCommit({ writes: away, origin: 'gateway:test', windowMs: 1, retryMs: 1, maxRetryMs: 1, spill: journal, onFailure: () => (down = true) });
    for (let i = 1; i <= 3; i++) commits.settle(event(i, priceVersionId), settlement(i));
    const flushed = commits.flush();
    await lost;
    expect(await commits.drain(Date.now())).toBe(3);
    await flushed;
    const [path] = journal.journals();
    expect(readFileSync(path as string, 'utf8').split('\n')[0]).toMatch(/^\{"stream":\{"path":"gateway:test:/);
    expect(await journal.replay(writes, 'gateway:test')).toBe(0);
    expect(journal.journals()).toEqual([]);
    expect(await settled(ledger, budgetId)).toEqual({ prompts: 3, costNanos: 3_000, events: 3, spentNanos: 3_000 });

    // A commit that never reached the ledger, spilled the same way: its replay settles it.
    down = true;
    const next = new GroupCommit({ writes: away, origin: 'gateway:test', windowMs: 1, retryMs: 1, maxRetryMs: 1, spill: journal });
    for (let i = 4; i <= 5; i++) next.settle(event(i, priceVersionId), settlement(i));
    expect(await next.drain(Date.now() + 20)).toBe(2);
    expect(await journal.replay(writes, 'gateway:test')).toBe(2);
    expect(await settled(ledger, budgetId)).toEqual({ prompts: 5, costNanos: 5_000, events: 5, spentNanos: 5_000 });
  });
});

function admission(id: string, amountNanos: number, budgetId: number): Parameters<Ledger['admit']>[0] {
  return { id, namespace: NS, key: 'alice', amountNanos, checks: [{ budgetId, periodKey: 'all', limitNanos: BUDGET_NANOS }], at: T, expiresAt: T + 60_000 };
}

function event(i: number, priceVersionId: number): PricedEvent {
  return {
    ...emptyTokens(),
    inputTokens: 10,
    outputTokens: 5,
    agent: GATEWAY_AGENT,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: 'alice',
    project: '',
    occurredAt: T + i,
    dedupKey: `gateway:test-${i}`,
    namespace: NS,
    costNanos: 1_000,
    priceVersionId,
    unpriced: false,
  };
}

function settlement(i: number): Settlement {
  return { namespace: NS, key: 'alice', costNanos: 1_000, tokens: { ...emptyTokens(), inputTokens: 10, outputTokens: 5 }, at: T + i };
}
