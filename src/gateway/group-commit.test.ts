import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { gatewayWriterScript } from '../testing/gateway-writer-bundle.js';
import { GroupCommit } from './group-commit.js';
import { directWrites, type GatewayWrites } from './ledger-writes.js';
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

  it('retries a failed commit and reports usage it gave up on, never silently', async () => {
    const real = directWrites(ledger, LADDER);
    let failures = 2;
    const flaky: GatewayWrites = {
      ...real,
      commit: (batch) => (failures-- > 0 ? Promise.reject(new Error('database is locked')) : real.commit(batch)),
    };
    const seen: Array<[boolean, number]> = [];
    const commits = new GroupCommit({ writes: flaky, origin: 'gateway:test', windowMs: 1, retryMs: 1, onFailure: (_e, retry, lost) => seen.push([retry, lost]) });
    commits.settle(event(1), { namespace: NS, key: 'alice', costNanos: 1_000, tokens: emptyTokens(), at: T });
    await commits.flush();
    expect(seen).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect((await ledger.keyMeters(NS, ['alice']))[0]?.promptCount).toBe(1);

    const broken: GatewayWrites = { ...real, commit: () => Promise.reject(new Error('disk I/O error')) };
    const lost: number[] = [];
    const giveUp = new GroupCommit({ writes: broken, origin: 'gateway:test', windowMs: 1, retryMs: 1, attempts: 3, onFailure: (_e, _retry, n) => lost.push(n) });
    giveUp.settle(event(2), { namespace: NS, key: 'alice', costNanos: 1_000, tokens: emptyTokens(), at: T });
    await giveUp.flush();
    expect(lost).toEqual([0, 0, 1]);
  });
});
