import { spawn } from 'node:child_process';
import type { Target } from './load.js';
import { freePort, type Service, startService } from './service.js';

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
}

/** What `keys create --json` prints (the secret, once). */
interface CreatedKey {
  key: string;
}

const run = (bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`tokenledger ${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.slice(-500)}`))));
  });

async function createKey(bin: string, db: string, env: NodeJS.ProcessEnv, name: string, extra: string[]): Promise<string> {
  const printed = await run(bin, ['keys', 'create', name, ...extra, '--json', '--db', db], env);
  const secret = (JSON.parse(printed) as Partial<CreatedKey>).key;
  if (typeof secret !== 'string') throw new Error('keys create --json printed no "key"');
  return secret;
}

export async function startOurGateway(bin: string, db: string, upstreamPort: number, env: NodeJS.ProcessEnv): Promise<OurGateway> {
  const openKey = await createKey(bin, db, env, 'bench-open', []);
  const budgetKey = await createKey(bin, db, env, 'bench-budget', ['--budget', '1000000', '--period', 'month']);
  const port = await freePort();
  const service = await startService({
    name: 'tokenledger gateway',
    command: process.execPath,
    args: [bin, 'gateway', '--listen', `127.0.0.1:${port}`, '--upstream', `openai=http://127.0.0.1:${upstreamPort}/v1`, '--db', db],
    env: { ...env, OPENAI_API_KEY: 'sk-bench-upstream' },
    ready: { port },
    timeoutMs: 30_000,
  });
  const target = (name: string, secret: string): Target => ({ name, port, path: '/v1/chat/completions', headers: { authorization: `Bearer ${secret}` } });
  return { service, open: target('tokenledger', openKey), budgeted: target('tokenledger (budget)', budgetKey) };
}
