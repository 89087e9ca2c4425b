import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';

const BIN = fileURLToPath(new URL('../../bin/tokenledger', import.meta.url));

let fx: FixtureLedger | undefined;
afterEach(() => fx?.remove());

it('stops on SIGTERM with exit 0, ending an open event stream', async () => {
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0'], {
    env: { ...process.env, ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /on (http:\/\/\S+?)\/\n/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  expect((await fetch(`${url}/api/v1`)).status).toBe(200);
  const stream = await fetch(`${url}/api/v1/events`);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  for (;;) if ((await reader.read()).done) break;
  expect(stderr).toContain('tokenledger serve: stopped');
});
