import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { spawnListening, TOKENLEDGER_BIN } from '../testing/serve-process.js';

let fx: FixtureLedger | undefined;
afterEach(() => fx?.remove());

it('stops on SIGTERM with exit 0, ending an open event stream', async () => {
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
  const serve = await spawnListening(
    TOKENLEDGER_BIN,
    ['serve', '--listen', '127.0.0.1:0'],
    { ...process.env, ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
    /on (http:\/\/\S+?)\/\n/,
  );
  const url = serve.url;
  expect((await fetch(`${url}/api/v1`)).status).toBe(200);
  const stream = await fetch(`${url}/api/v1/events`);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  serve.kill('SIGTERM');
  expect(await serve.exited).toBe(0);
  for (;;) if ((await reader.read()).done) break;
  expect(serve.stderr()).toContain('tokenledger serve: stopped');
});
