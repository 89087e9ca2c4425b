import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret, newSecret, secretPrefix } from '../../gateway/keys/secret.js';
import { POSTGRES_TEST_URL } from '../../ledger/engines/postgres/test-schema.js';
import { type AnthropicScenario, fakeAnthropic } from '../../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../../testing/fake-upstreams/fake-server.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { gatewayWriterScript } from '../../testing/gateway-writer-bundle.js';
import { runCliOn } from '../../testing/run-cli.js';
import { TcpHop } from '../../testing/tcp-hop.js';
import type { Io } from '../io.js';
import { runGateway } from './gateway.js';

let ledger: FixtureLedger;
let fake: FakeServer<AnthropicScenario>;

beforeEach(async () => {
  ledger = new FixtureLedger();
  fake = await fakeAnthropic('sk-ant-from-env', { usage: { input: 11, output: 22 } });
});
afterEach(async () => {
  await fake.close();
  ledger.remove();
});

describe('tokenledger gateway', () => {
  it('refuses a non-loopback address without TLS, and bad flags, with exit 2 and a clear error', async () => {
    const open = await runCliOn(ledger, ['gateway', '--listen', '0.0.0.0:4000', '--upstream', 'anthropic=http://127.0.0.1:1']);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('refusing to listen on 0.0.0.0 without TLS');
    expect(open.stderr).toContain('--allow-plain-http');
    const upstream = await runCliOn(ledger, ['gateway', '--upstream', 'nonsense']);
    expect(upstream.code).toBe(2);
    expect(upstream.stderr).toContain('--upstream expects NAME=URL');
    const listen = await runCliOn(ledger, ['gateway', '--listen', 'nowhere']);
    expect(listen.code).toBe(2);
    const commit = await runCliOn(ledger, ['gateway', '--commit-ms', '0']);
    expect(commit.code).toBe(2);
    // An address already taken: said plainly, exit 2.
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const port = (taken.address() as AddressInfo).port;
      const busy = await runCliOn(ledger, ['gateway', '--db', ':memory:', '--listen', `127.0.0.1:${port}`, '--upstream', 'anthropic=http://127.0.0.1:1']);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the address is in use`);
    } finally {
      taken.close();
    }
  });

  it('runs until stopped: says where it listens, meters through the configured upstream, commits on the way out', async () => {
    const secret = newSecret();
    await ledger.read((l) => l.createKey({ namespace: 'cost-tracking', name: 'ci', secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: Date.now() }));
    let stdout = '';
    let stderr = '';
    const io: Io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: `${ledger.dir}/config`, TZ: 'UTC', ANTHROPIC_API_KEY: 'sk-ant-from-env' },
      now: () => Date.now(),
    };
    const stop = new AbortController();
    const writerScript = await gatewayWriterScript();
    let url = '';
    let exit: Promise<number> = Promise.resolve(-1);
    await new Promise<void>((resolve) => {
      exit = runGateway(io, { listen: '127.0.0.1:0', upstream: [`anthropic=${fake.url}`], commitMs: '5' }, stop.signal, {
        writerScript,
        started: (u) => {
          url = u;
          resolve();
        },
      });
    });
    const response = await fetch(`${url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    stop.abort();
    expect(await exit).toBe(0);
    expect(stdout).toBe(`tokenledger gateway listening on ${url}\n`);
    expect(stderr).toContain('/anthropic/ →');
    expect(stderr).not.toContain(secret);
    expect(stderr).not.toContain('sk-ant-from-env');
    expect(fake.last.headers['x-api-key']).toBe('sk-ant-from-env');
    const events = await ledger.read((l) => l.sessionEvents('cost-tracking', 'gateway', 'ci'));
    expect(events).toMatchObject([{ inputTokens: 11, outputTokens: 22 }]);
  });

  it('stopped while its PostgreSQL ledger is away: spills, says so and exits 4; the next start commits the spill once', async () => {
    const database = `tl_gw_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const hop = new TcpHop();
    await hop.open();
    const db = `postgres://postgres@127.0.0.1:${hop.port}/${database}`;
    try {
      const created = await runCliOn(ledger, ['keys', 'create', 'ci', '--json', '--db', db]);
      expect(created.code, created.stderr).toBe(0);
      const secret = JSON.parse(created.stdout).key as string;
      const writerScript = await gatewayWriterScript();
      const serve = async (drainMs: number, during: (url: string) => Promise<void>): Promise<{ code: number; stderr: string }> => {
        let stderr = '';
        const io: Io = {
          stdout: { write: () => true },
          stderr: { write: (t: string) => (stderr += t) },
          env: { ...ledger.env, TOKENLEDGER_DB: db, XDG_CONFIG_HOME: `${ledger.dir}/config`, XDG_DATA_HOME: `${ledger.dir}/data`, TZ: 'UTC', ANTHROPIC_API_KEY: 'sk-ant-from-env' },
          now: () => Date.now(),
        };
        const stop = new AbortController();
        let exit: Promise<number> = Promise.resolve(-1);
        const url = await new Promise<string>((resolve) => {
          exit = runGateway(io, { listen: '127.0.0.1:0', upstream: [`anthropic=${fake.url}`], commitMs: '5' }, stop.signal, { writerScript, drainMs, started: resolve });
        });
        await during(url);
        stop.abort();
        return { code: await exit, stderr };
      };
      const first = await serve(100, async (url) => {
        await hop.cut();
        const response = await fetch(`${url}/anthropic/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(response.status).toBe(200);
        await response.text();
      });
      expect(first.code).toBe(4);
      expect(first.stderr).toContain(`the ledger could not take the usage of 1 request(s): it is kept in ${ledger.dir}/data/tokenledger/gateway-spill/`);
      expect(first.stderr).not.toContain(secret);

      await hop.open();
      const second = await serve(30_000, async () => {});
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toContain('committed the usage of 1 request(s) spilled by an earlier run');
      const again = await serve(30_000, async () => {});
      expect(again.stderr).not.toContain('spilled by an earlier run');
      const usage = await runCliOn(ledger, ['keys', 'usage', 'ci', '--json', '--db', db]);
      expect(JSON.parse(usage.stdout)).toMatchObject({ prompt_count: 1, total_prompt_tokens: 11, total_completion_tokens: 22 });
    } finally {
      await hop.cut();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
