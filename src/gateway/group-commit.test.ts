import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT, type Settlement } from '../ledger/gateway-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { gatewayWriterScript } from '../testing/gateway-writer-bundle.js';
import { GroupCommit } from './group-commit.js';
import { directWrites, type GatewayWrites } from './ledger-writes.js';
import { journalBatch, SpillJournal } from './spill-journal.js';
import { threadWrites } from './thread-writes.js';

const NS = 'cost-tracking';
const T = Date.UTC(2026, 2, 10, 12);
const RECORDER = { user: 'test@host', machine: 'machine-1' };
const LADDER = { timeZone: 'UTC', startOfWeek: 'monday' as const, thresholds: DEFAULT_THRESHOLDS };

let priceVersionId = 0;

function event(i: number): PricedEvent {
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

describe('group commit', () => {
  let dir: string;
  let ledger: Ledger;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenledger-gc-'));
    ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') }, { recorder: RECORDER });
    priceVersionId = await ledger.priceVersionId('test prices');
    await ledger.createKey({ namespace: NS, name: 'alice', secretHash: 'h', secretPrefix: 'tlk_x', createdAt: T - 1000 });
  });
  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes settlements arriving within one window as one batch through the writer thread, recording budget levels reached', async () => {
    await ledger.setBudget({ namespace: NS, scope: 'key:alice', period: 'all', amountNanos: 4_000, setAt: T - 1000 });
    const writes = await threadWrites({ location: { engine: 'sqlite', path: join(dir, 'ledger.db') }, recorder: RECORDER, ladder: LADDER }, await gatewayWriterScript());
    const committed: number[] = [];
    const commits = new GroupCommit({ writes, origin: 'gateway:test', windowMs: 20, onCommitted: (n) => committed.push(n) });
    for (let i = 0; i < 5; i++) commits.settle(event(i), { namespace: NS, key: 'alice', costNanos: 1_000, tokens: { ...emptyTokens(), inputTokens: 10, outputTokens: 5 }, at: T + i });
    await commits.flush();
    await writes.close();
    expect(committed).toEqual([5]);
    const [meter] = await ledger.keyMeters(NS, ['alice']);
    expect(meter?.promptCount).toBe(5);
    expect(meter?.costNanos).toBe(5_000);
    const [totals] = await ledger.usage({ namespace: NS, agents: [GATEWAY_AGENT] }, []);
    expect(totals?.events).toBe(5);
    // 5,000 nano-USD against a 4,000 budget: every level of the ladder up to the hard stop.
    expect((await ledger.crossings(NS, 0)).map((c) => c.level)).toContain('HARD_STOP');
  });

  it('retries a failed commit for as long as it takes, new settlements joining in order; nothing lost, nothing twice', async () => {
    const real = directWrites(ledger, LADDER);
    let failures = 8;
    const flaky: GatewayWrites = {
      ...real,
      commit: (batch) => (failures-- > 0 ? Promise.reject(new Error('database is locked')) : real.commit(batch)),
    };
    const waits: Array<number | undefined> = [];
    const commits = new GroupCommit({ writes: flaky, origin: 'gateway:test', windowMs: 1, retryMs: 1, maxRetryMs: 4, onFailure: (_e, retryInMs) => waits.push(retryInMs) });
    commits.settle(event(1), settlement(T));
    const flushed = commits.flush();
    for (let i = 2; i <= 4; i++) commits.settle(event(i), settlement(T + i));
    await flushed;
    await commits.flush();
    expect(waits).toEqual([1, 2, 4, 4, 4, 4, 4, 4]);
    expect(commits.pending).toBe(0);
    const [meter] = await ledger.keyMeters(NS, ['alice']);
    expect(meter?.promptCount).toBe(4);
    expect((await ledger.usage({ namespace: NS, agents: [GATEWAY_AGENT] }, []))[0]?.events).toBe(4);
  });

  it('past its cap spills the oldest batches; at a drain deadline spills the rest; a replay commits each once, also when repeated', async () => {
    const real = directWrites(ledger, LADDER);
    let down = true;
    const outage: GatewayWrites = { ...real, commit: (batch) => (down ? Promise.reject(new Error('connection refused')) : real.commit(batch)) };
    const journal = new SpillJournal(join(dir, 'spill'));
    const spilled: number[] = [];
    const commits = new GroupCommit({ writes: outage, origin: 'gateway:test', windowMs: 1, retryMs: 1, maxRetryMs: 1, maxPending: 3, spill: journal, onSpilled: (n) => spilled.push(n) });
    const waiting = new Promise<void>((resolve) => {
      let n = 0;
      const settleNext = (): void => {
        n++;
        commits.settle(event(n), settlement(T + n));
        if (n < 6) setTimeout(settleNext, 3);
        else resolve();
      };
      settleNext();
    });
    await waiting;
    const left = await commits.drain(Date.now());
    expect(commits.pending).toBe(0);
    const total = spilled.reduce((a, b) => a + b, 0);
    expect(total).toBe(6);
    expect(left).toBeGreaterThan(0);
    // Some went past the cap while the gateway ran, the rest at the drain deadline.
    expect(spilled.length).toBeGreaterThanOrEqual(2);
    expect(journal.journals().length).toBe(spilled.length);
    for (const path of journal.journals()) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await ledger.keyMeters(NS, ['alice']))[0]?.promptCount ?? 0).toBe(0);

    // A replay that crashed after its commit, before its journal was deleted: the ledger skips it.
    down = false;
    const [first] = journal.journals();
    const again = journalBatch(first as string, 'gateway:test');
    expect(await journal.replay(outage, 'gateway:test')).toBe(6);
    expect(journal.journals()).toEqual([]);
    expect((await real.commit(again)).skipped).toBe(1);
    const [meter] = await ledger.keyMeters(NS, ['alice']);
    expect(meter?.promptCount).toBe(6);
    expect(meter?.costNanos).toBe(6_000);
    expect((await ledger.usage({ namespace: NS, agents: [GATEWAY_AGENT] }, []))[0]?.events).toBe(6);
  });
});

function settlement(at: number): Settlement {
  return { namespace: NS, key: 'alice', costNanos: 1_000, tokens: { ...emptyTokens(), inputTokens: 10, outputTokens: 5 }, at };
}
