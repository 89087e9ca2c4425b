import { spawn } from 'node:child_process';
import { hashSecret, newSecret, secretPrefix } from '../../src/gateway/keys/secret.js';
import type { GatewayLedgerHandle } from '../../src/gateway/ledger-writes.js';
import { openLedger } from '../../src/ledger/open-ledger.js';
import type { Target } from './load.js';
import { type Service, startService } from './service.js';

/**
 * tokenledger's gateway as users run it: keys made with `keys create`, then `tokenledger gateway`
 * in a process of its own in front of the fake upstream, on a ledger file of the bench.
 */
export interface OurGateway {
  service: Service;
  /** A key without budget: admission only authenticates. */
  open: Target;
  /** A key with a budget far above what the bench spends: every request is reserved and settled. */
  budgeted: Target;
  /** How the keys were made: `keys create`, or straight into the ledger by a build without that command. */
  keysMadeBy: string;
  /** Its ledger file. */
  db: string;
}

const NAMESPACE = 'cost-tracking';
const BUDGET_USD = 1_000_000;

const run = (bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });

/** A key made by `keys create NAME [--budget …] --json`: its secret (printed once). */
async function createKey(bin: string, db: string, env: NodeJS.ProcessEnv, name: string, budget: boolean): Promise<string | undefined> {
  const extra = budget ? ['--budget', String(BUDGET_USD), '--period', 'month'] : [];
  const made = await run(bin, ['keys', 'create', name, ...extra, '--namespace', NAMESPACE, '--json', '--db', db], env);
  if (made.code !== 0 && /unknown command 'keys'/.test(made.stderr)) return undefined;
  if (made.code !== 0) throw new Error(`tokenledger keys create exited with ${made.code}: ${made.stderr.slice(-300)}`);
  const secret = (JSON.parse(made.stdout) as { key?: unknown }).key;
  if (typeof secret !== 'string') throw new Error('keys create --json printed no "key"');
  return secret;
}

/** The same key made straight into the ledger, for a build that has the gateway but no `keys` command yet. */
async function createKeyInLedger(db: string, name: string, budget: boolean): Promise<string> {
  const ledger = (await openLedger({ engine: 'sqlite', path: db })) as GatewayLedgerHandle;
  try {
    const secret = newSecret();
    const now = Date.now();
    await ledger.createKey({ namespace: NAMESPACE, name, secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: now });
    if (budget) await ledger.setBudget({ namespace: NAMESPACE, scope: `key:${name}`, period: 'month', amountNanos: BUDGET_USD * 1e9, setAt: now });
    return secret;
  } finally {
    await ledger.close();
  }
}

/** The keys' names in the ledger, by target. */
export const KEY_NAMES = { open: 'bench-open', budgeted: 'bench-budget' } as const;

/** Requests each key's meter counts (`keys usage --json`), by key name. */
export async function meteredRequests(bin: string, db: string, env: NodeJS.ProcessEnv): Promise<Map<string, number>> {
  const usage = await run(bin, ['keys', 'usage', '--namespace', NAMESPACE, '--json', '--db', db], env);
  if (usage.code !== 0) throw new Error(`tokenledger keys usage exited with ${usage.code}: ${usage.stderr.slice(-300)}`);
  const meters = (JSON.parse(usage.stdout) as { keys?: { name: string; prompt_count: number }[] }).keys ?? [];
  return new Map(meters.map((m) => [m.name, m.prompt_count]));
}

export async function startOurGateway(bin: string, db: string, upstreamPort: number, env: NodeJS.ProcessEnv): Promise<OurGateway> {
  let keysMadeBy = '`keys create`';
  const key = async (name: string, budget: boolean): Promise<string> => {
    const secret = await createKey(bin, db, env, name, budget);
    if (secret !== undefined) return secret;
    keysMadeBy = 'the ledger (this build has no `keys` command)';
    return createKeyInLedger(db, name, budget);
  };
  const profileDir = process.env.BENCH_CPU_PROF;
  const openKey = await key(KEY_NAMES.open, false);
  const budgetKey = await key(KEY_NAMES.budgeted, true);
  const service = await startService({
    name: 'tokenledger gateway',
    command: process.execPath,
    // BENCH_CPU_PROF=<folder>: the gateway writes a CPU profile there when it stops.
    args: [
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
      bin,
      'gateway',
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      `openai=http://127.0.0.1:${upstreamPort}/v1`,
      '--namespace',
      NAMESPACE,
      '--db',
      db,
    ],
    env: { ...env, OPENAI_API_KEY: 'sk-bench-upstream' },
    ready: /listening on http:\/\/127\.0\.0\.1:\d+/,
    timeoutMs: 30_000,
  });
  const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(service.output())?.[1]);
  const target = (name: string, secret: string): Target => ({ name, port, path: '/v1/chat/completions', headers: { authorization: `Bearer ${secret}` } });
  return { service, open: target('tokenledger', openKey), budgeted: target('tokenledger (budget)', budgetKey), keysMadeBy, db };
}
