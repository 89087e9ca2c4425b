import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Target } from './load.js';
import { freePort, type Service, startService } from './service.js';

/**
 * Portkey's open-source gateway, measured beside ours: `@portkey-ai/gateway` from npm, installed
 * into a folder of the bench's own (`.bench/portkey-<version>/`, kept for the next run), never a
 * dependency of tokenledger. Its streaming needs `@hono/node-server` 1.13.8 (an npm override).
 */
export const PORTKEY_VERSION = '1.15.2';
const NODE_SERVER_VERSION = '1.13.8';
const PACKAGE = '@portkey-ai/gateway';

const version = (file: string): string | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined);

/** Installs Portkey (once) and returns its server script. */
export async function installPortkey(work: string, log: (text: string) => void): Promise<string> {
  const folder = join(work, `portkey-${PORTKEY_VERSION}`);
  const installed = join(folder, 'node_modules', PACKAGE, 'package.json');
  const server = join(folder, 'node_modules', '@hono', 'node-server', 'package.json');
  if (version(installed) !== PORTKEY_VERSION || version(server) !== NODE_SERVER_VERSION) {
    log(`installing ${PACKAGE}@${PORTKEY_VERSION} into ${folder}`);
    mkdirSync(folder, { recursive: true });
    const manifest = { name: 'bench-portkey', private: true, dependencies: { [PACKAGE]: PORTKEY_VERSION }, overrides: { '@hono/node-server': NODE_SERVER_VERSION } };
    writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await npmInstall(folder);
    if (version(installed) !== PORTKEY_VERSION) throw new Error(`npm install left no ${PACKAGE}@${PORTKEY_VERSION} in ${folder}`);
    if (version(server) !== NODE_SERVER_VERSION) throw new Error(`npm install did not apply the @hono/node-server ${NODE_SERVER_VERSION} override`);
  }
  const bin = (JSON.parse(readFileSync(installed, 'utf8')) as { bin?: string | Record<string, string> }).bin;
  const entry = typeof bin === 'string' ? bin : Object.values(bin ?? {})[0];
  if (entry === undefined) throw new Error(`${PACKAGE} names no server script (package.json has no bin)`);
  return join(dirname(installed), entry);
}

function npmInstall(folder: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Scripts stay off: the package's only install script applies patches it does not ship.
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

/** Starts Portkey headless on a free port; requests to the returned target go to the fake upstream. */
export async function startPortkey(script: string, upstreamPort: number, env: NodeJS.ProcessEnv): Promise<{ service: Service; target: Target }> {
  const port = await freePort();
  const service = await startService({
    name: 'Portkey',
    command: process.execPath,
    args: [script, `--port=${port}`, '--headless'],
    env: { PATH: env.PATH, HOME: env.HOME },
    cwd: dirname(script),
    ready: /Ready for connections/,
    timeoutMs: 30_000,
  });
  const headers = {
    authorization: 'Bearer sk-bench-upstream',
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': `http://127.0.0.1:${upstreamPort}/v1`,
  };
  return { service, target: { name: 'Portkey', port, path: '/v1/chat/completions', headers } };
}
