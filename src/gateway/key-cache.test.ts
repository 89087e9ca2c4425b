import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { KeyCache } from './key-cache.js';
import { hashSecret, newSecret, secretPrefix } from './keys/secret.js';

const NS = 'cost-tracking';
let dir: string;
let ledger: Ledger;
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('key cache', () => {
  it('finds a key by its secret with its key: budgets; a revoked or rotated secret stops working at the next refresh', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenledger-keys-'));
    ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') });
    const alice = newSecret();
    const bob = newSecret();
    for (const [name, secret] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      await ledger.createKey({ namespace: NS, name, secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: 1 });
    }
    await ledger.setBudget({ namespace: NS, scope: 'key:alice', period: 'month', amountNanos: 5e9, setAt: 1 });
    await ledger.setBudget({ namespace: NS, scope: 'project:web', period: 'month', amountNanos: 5e9, setAt: 1 });
    const cache = new KeyCache(ledger, NS);
    await cache.refresh();
    expect(cache.find(alice)?.key.name).toBe('alice');
    expect(cache.find(alice)?.budgets.map((b) => b.scope)).toEqual(['key:alice']);
    expect(cache.find(bob)?.budgets).toEqual([]);
    expect(cache.find('tlk_wrong')).toBeUndefined();
    expect(cache.find(`${alice}x`)).toBeUndefined();

    const rotated = newSecret();
    await ledger.updateKey(NS, 'alice', { revokedAt: 2 });
    await ledger.updateKey(NS, 'bob', { secretHash: hashSecret(rotated), secretPrefix: secretPrefix(rotated), rotatedAt: 2 });
    expect(cache.find(alice)?.key.name).toBe('alice');
    await cache.refresh();
    expect(cache.find(alice)).toBeUndefined();
    expect(cache.find(bob)).toBeUndefined();
    expect(cache.find(rotated)?.key.name).toBe('bob');
  });

  it('remembers a secret that matched, at most as many as it is told, until the next refresh', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenledger-keys-'));
    ledger = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') });
    const secrets = [newSecret(), newSecret(), newSecret()];
    for (const [i, secret] of secrets.entries()) await ledger.createKey({ namespace: NS, name: `k${i}`, secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: 1 });
    const cache = new KeyCache(ledger, NS, 2);
    await cache.refresh();
    const [a, b, c] = secrets as [string, string, string];
    expect(cache.find(a)?.key.name).toBe('k0');
    expect(cache.find(a)?.key.name).toBe('k0');
    expect(cache.find(newSecret())).toBeUndefined();
    expect(cache.remembered).toBe(1);
    expect(cache.find(b)?.key.name).toBe('k1');
    expect(cache.find(c)?.key.name).toBe('k2');
    expect(cache.remembered).toBe(2);
    // The oldest was forgotten: it is found by its hash again.
    expect(cache.find(a)?.key.name).toBe('k0');
    expect(cache.remembered).toBe(2);
    await ledger.updateKey(NS, 'k0', { revokedAt: 2 });
    await cache.refresh();
    expect(cache.remembered).toBe(0);
    expect(cache.find(a)).toBeUndefined();
    expect(cache.find(b)?.key.name).toBe('k1');
  });
});
