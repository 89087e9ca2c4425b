import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens } from '../../core/usage-event.js';
import { hashSecret } from '../../gateway/keys/secret.js';
import { GATEWAY_AGENT } from '../../ledger/gateway-keys.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const SECRET = /tlk_[A-Za-z0-9_-]{43}/;

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const cli = (args: string[], now = NOW) => runCliOn(ledger, args, { now });

/** Every byte of the ledger's files (the database, its WAL), as text. */
function ledgerBytes(): string {
  const dir = dirname(ledger.dbPath);
  return readdirSync(dir)
    .filter((f) => f.startsWith('ledger') || f.endsWith('.db') || f.includes('.db-'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

/** Meters a request of `name` as the gateway would: its event and settlement in one commit. */
async function meter(name: string, costNanos: number, at: number): Promise<void> {
  const handle = await openLedger({ engine: 'sqlite', path: ledger.dbPath }, {});
  try {
    const tokens = { ...emptyTokens(), inputTokens: 1_000, outputTokens: 200, cacheReadTokens: 3_000 };
    const priceVersionId = await handle.priceVersionId('test');
    await handle.commit([
      {
        origin: 'gateway:test',
        events: [
          {
            ...tokens,
            agent: GATEWAY_AGENT,
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            sessionId: name,
            project: '',
            occurredAt: at,
            dedupKey: `req-${at}`,
            namespace: 'cost-tracking',
            costNanos,
            priceVersionId,
            unpriced: false,
          },
        ],
        rateLimits: [],
        drops: [],
        settlements: [{ namespace: 'cost-tracking', key: name, costNanos, tokens, at }],
      },
    ]);
  } finally {
    await handle.close();
  }
}

describe('keys', () => {
  it('creates a key, prints its secret once, keeps only its hash; list and usage never show it', async () => {
    const created = await cli(['keys', 'create', 'alice', '--rpm', '60', '--project', 'app']);
    expect(created.code).toBe(0);
    const secret = created.stdout.match(SECRET)?.[0] as string;
    expect(secret).toBeDefined();
    expect(created.stdout).toContain('Created the gateway key alice (namespace cost-tracking).');
    expect(created.stdout).toContain('shown this once');

    const list = await cli(['keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('alice');
    expect(list.stdout).toContain(`${secret.slice(0, 8)}…`);
    const listJson = JSON.parse((await cli(['keys', 'list', '--json'])).stdout);
    expect(listJson).toEqual({
      namespace: 'cost-tracking',
      keys: [{ name: 'alice', prefix: secret.slice(0, 8), created_at: NOW, revoked: false, revoked_at: null, rotated_at: null, rpm: 60, tpm: null, project: 'app', budgets: [] }],
    });
    const usage = [await cli(['keys', 'usage']), await cli(['keys', 'usage', '--json']), await cli(['keys', 'usage', 'alice', '--json'])];
    for (const out of [list, ...usage, await cli(['keys', 'list', '--json'])]) {
      expect(out.stdout).not.toContain(secret);
      expect(out.stdout).not.toContain(secret.slice(8));
      expect(out.stdout).not.toContain(hashSecret(secret));
      expect(out.stderr).not.toContain(secret);
    }
    expect(ledgerBytes()).not.toContain(secret.slice(8));
    expect(ledgerBytes()).toContain(hashSecret(secret));
  });

  it('with --json prints an object holding the secret; --budget is a key: budget that budget list shows', async () => {
    const r = await cli(['keys', 'create', 'ci-bot', '--budget', '10.5', '--period', 'day', '--tpm', '100000', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toEqual({
      namespace: 'cost-tracking',
      name: 'ci-bot',
      key: expect.stringMatching(new RegExp(`^${SECRET.source}$`)),
      prefix: body.key.slice(0, 8),
      created_at: NOW,
      rpm: null,
      tpm: 100_000,
      project: null,
      budget: { scope: 'key:ci-bot', period: 'today', budget_usd: 10.5 },
    });
    const budgets = JSON.parse((await runCliOn(ledger, ['budget', 'list', '--json', '--no-sync'], { now: NOW })).stdout);
    expect(budgets.budgets.map((b: Record<string, unknown>) => [b.scope, b.period, b.budget_usd])).toEqual([['key:ci-bot', 'today', 10.5]]);
    expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout).keys[0].budgets).toEqual([{ period: 'today', budget_usd: 10.5 }]);
    expect(ledgerBytes()).not.toContain(body.key.slice(8));
  });

  it('refuses a second key of one name, and bad names and flags, with exit 2 and nothing changed', async () => {
    expect((await cli(['keys', 'create', 'alice'])).code).toBe(0);
    const again = await cli(['keys', 'create', 'alice']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a gateway key named alice already exists');
    for (const [args, message] of [
      [['keys', 'create', 'a b'], 'invalid gateway key name "a b"'],
      [['keys', 'create', 'x'.repeat(65)], 'invalid gateway key name'],
      [['keys', 'create', 'bob', '--budget', 'ten'], '--budget expects an amount in US dollars'],
      [['keys', 'create', 'bob', '--budget', '5', '--period', 'year'], '--period expects day, week, month or all'],
      [['keys', 'create', 'bob', '--period', 'day'], '--period sets the period of --budget'],
      [['keys', 'create', 'bob', '--rpm', '0'], '--rpm expects a whole number of at least 1'],
      [['keys', 'create', 'bob', '--tpm', '1.5'], '--tpm expects a whole number of at least 1'],
      [['keys', 'revoke', 'nobody'], 'no gateway key named nobody'],
      [['keys', 'rotate', 'nobody'], 'no gateway key named nobody'],
      [['keys', 'usage', 'nobody'], 'no gateway key named nobody'],
      [['keys', 'reset', 'nobody'], 'no gateway key named nobody'],
      [['keys', 'reset'], 'keys reset needs a key name, or --all'],
      [['keys', 'reset', 'alice', '--all'], 'not both'],
    ] as const) {
      const r = await cli([...args]);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toContain(message);
    }
    expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout).keys.map((k: { name: string }) => k.name)).toEqual(['alice']);
  });

  it('revokes and rotates: a rotated key has a new secret printed once; a revoked one cannot be rotated', async () => {
    const first = (await cli(['keys', 'create', 'alice'])).stdout.match(SECRET)?.[0] as string;
    const rotated = await cli(['keys', 'rotate', 'alice', '--json'], NOW + 1_000);
    expect(rotated.code).toBe(0);
    const second = JSON.parse(rotated.stdout).key as string;
    expect(second).toMatch(SECRET);
    expect(second).not.toBe(first);
    const [key] = JSON.parse((await cli(['keys', 'list', '--json'])).stdout).keys;
    expect([key.prefix, key.rotated_at]).toEqual([second.slice(0, 8), NOW + 1_000]);
    expect(ledgerBytes()).toContain(hashSecret(second));
    expect((await cli(['keys', 'revoke', 'alice'], NOW + 2_000)).stdout).toContain('Revoked the gateway key alice');
    expect((await cli(['keys', 'revoke', 'alice'])).stdout).toContain('was already revoked');
    expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout).keys[0]).toMatchObject({ revoked: true, revoked_at: NOW + 2_000 });
    const refused = await cli(['keys', 'rotate', 'alice']);
    expect([refused.code, refused.stderr.includes('is revoked')]).toEqual([2, true]);
  });

  it('shows each meter in the reference field names, and resets one key or all', async () => {
    await cli(['keys', 'create', 'alice']);
    await cli(['keys', 'create', 'bob']);
    await meter('alice', 2_500_000_000, NOW + 10);
    await meter('alice', 500_000_000, NOW + 20);
    const alice = JSON.parse((await cli(['keys', 'usage', 'alice', '--json'])).stdout);
    expect(alice).toMatchObject({
      name: 'alice',
      revoked: false,
      prompt_count: 2,
      total_prompt_tokens: 8_000,
      total_completion_tokens: 400,
      total_tokens: 8_400,
      total_cost_usd: 3,
      cached_tokens: 6_000,
      last_activity_at: NOW + 20,
      reset_at: NOW,
    });
    const table = (await cli(['keys', 'usage'])).stdout;
    expect(table).toContain('$3.00');
    expect(table).toContain('bob');
    const reset = await cli(['keys', 'reset', 'alice'], NOW + 100);
    expect(reset.stdout).toContain('Reset the meter of the gateway key alice');
    expect(JSON.parse((await cli(['keys', 'usage', 'alice', '--json'])).stdout)).toMatchObject({ prompt_count: 0, total_cost_usd: 0, reset_at: NOW + 100, last_activity_at: null });
    expect((await cli(['keys', 'reset', '--all'], NOW + 200)).stdout).toContain('Reset the meters of 2 gateway keys');
    const all = JSON.parse((await cli(['keys', 'usage', '--json'])).stdout);
    expect(all.keys.map((k: { name: string; reset_at: number }) => [k.name, k.reset_at])).toEqual([
      ['alice', NOW + 200],
      ['bob', NOW + 200],
    ]);
  });

  it('works in the gateway namespace: $GATEWAY_NAMESPACE steers keys as it steers the gateway, and --help says so', async () => {
    const created = await cli(['keys', 'create', 'alice'], NOW);
    expect(created.code).toBe(0);
    const env = { GATEWAY_NAMESPACE: 'team-a', KEYS_NAMESPACE: 'ignored' };
    const inTeam = await runCliOn(ledger, ['keys', 'create', 'bob'], { env, now: NOW });
    expect(inTeam.stdout).toContain('Created the gateway key bob (namespace team-a).');
    const keys = await ledger.read(async (l) => [
      (await l.gatewayKeys('team-a')).map((k) => k.name),
      (await l.gatewayKeys('ignored')).length,
      (await l.gatewayKeys('cost-tracking')).map((k) => k.name),
    ]);
    expect(keys).toEqual([['bob'], 0, ['alice']]);
    const listed = await runCliOn(ledger, ['keys', 'list', '--json'], { env, now: NOW });
    expect(JSON.parse(listed.stdout)).toMatchObject({ namespace: 'team-a', keys: [{ name: 'bob' }] });
    for (const args of [
      ['keys', '--help'],
      ['keys', 'create', '--help'],
      ['gateway', '--help'],
    ]) {
      const help = await runCliOn(ledger, args);
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('`tokenledger keys` and `tokenledger gateway` share one: --namespace, else $GATEWAY_NAMESPACE');
    }
  });
});
