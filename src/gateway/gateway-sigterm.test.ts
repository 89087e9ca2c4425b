import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { openLedger } from '../ledger/open-ledger.js';
import { type AnthropicScenario, fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { hashSecret, newSecret, secretPrefix } from './keys/secret.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The CLI and the writer thread bundled as `build.mjs` bundles them, in `dist/` (where the packages left out are found). */
async function bundledCli(): Promise<string> {
  const dir = join(packageRoot(), 'dist', `gateway-sigterm-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  await build({
    entryPoints: { tokenledger: join(packageRoot(), 'src', 'cli', 'main.ts'), 'gateway-writer': join(packageRoot(), 'src', 'gateway', 'gateway-writer.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', '@pydantic/genai-prices', 'pg', 'pg-copy-streams'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, "import { main } from './tokenledger.mjs';\nawait main();\n");
  return entry;
}

describe('tokenledger gateway as a process', () => {
  it('on SIGTERM stops accepting, lets the stream in flight finish, commits its usage and exits 0', async () => {
    const entry = await bundledCli();
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-sigterm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'ledger.db');
    const secret = newSecret();
    const ledger = await openLedger({ engine: 'sqlite', path: db });
    await ledger.createKey({ namespace: 'cost-tracking', name: 'ops', secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: Date.now() });
    await ledger.close();
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    const fake: FakeServer<AnthropicScenario> = await fakeAnthropic('sk-ant-upstream', { usage: { input: 31, output: 41 }, pauseAfter: 0, resume: held });
    cleanups.push(() => fake.close());

    const child = spawn(process.execPath, [entry, 'gateway', '--db', db, '--listen', '127.0.0.1:0', '--upstream', `anthropic=${fake.url}`], {
      env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), ANTHROPIC_API_KEY: 'sk-ant-upstream', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stopping = (): void => {};
    const saidStopping = new Promise<void>((resolve) => (stopping = resolve));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('stopping')) stopping();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      void exited.then(() => reject(new Error(`the gateway exited: ${stderr}`)));
    });

    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    // The signal is handled once the gateway says it is stopping; then the upstream may finish.
    await saidStopping;
    resume();
    expect(await response.text()).toContain('message_stop');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(secret);
    const after = await openLedger({ engine: 'sqlite', path: db });
    try {
      expect(await after.sessionEvents('cost-tracking', 'gateway', 'ops')).toMatchObject([{ inputTokens: 31, outputTokens: 41 }]);
    } finally {
      await after.close();
    }
  });
});
