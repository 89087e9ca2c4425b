import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { agentFixture, logExporter, sendEnvelope } from '../../testing/otlp-clients.js';
import { runCliOn } from '../../testing/run-cli.js';
import { spawnListening, TOKENLEDGER_BIN } from '../../testing/serve-process.js';
import { runOtlp } from './otlp.js';

const TOKEN = 'otlp-token-for-tests-0123456789';

let fx: FixtureLedger;
beforeEach(() => {
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
});
afterEach(() => fx.remove());

describe('tokenledger otlp', () => {
  it('refuses to start with exit 2: off loopback without TLS or without a token, a short token, a bad --max-body or --metrics', async () => {
    const plain = await runCliOn(fx, ['otlp', '--listen', '0.0.0.0:4318']);
    expect([plain.code, plain.stderr]).toEqual([2, expect.stringContaining('refusing to listen on 0.0.0.0 without TLS')]);
    const tokenless = await runCliOn(fx, ['otlp', '--listen', '0.0.0.0:4318', '--allow-plain-http']);
    expect(tokenless.code).toBe(2);
    expect(tokenless.stderr).toContain('receiving OTLP on 0.0.0.0 needs a token');
    expect(tokenless.stderr).toContain('hint: give --token (or set TOKENLEDGER_OTLP_TOKEN), or listen on 127.0.0.1');
    const short = await runCliOn(fx, ['otlp', '--token', 'short']);
    expect([short.code, short.stderr]).toEqual([2, expect.stringContaining('at least 16 characters')]);
    expect(short.stderr).not.toContain('short\n');
    const size = await runCliOn(fx, ['otlp', '--max-body', '4MB']);
    expect([size.code, size.stderr]).toEqual([2, expect.stringContaining('--max-body expects a size')]);
    const metrics = await runCliOn(fx, ['otlp', '--metrics', 'cursor']);
    expect([metrics.code, metrics.stderr]).toEqual([2, expect.stringContaining('--metrics: "cursor" is not an agent whose metrics tokenledger reads')]);
  });

  it('serves HTTPS with --tls-cert and --tls-key, as serve and the gateway do', async () => {
    const cert = join(fx.dir, 'cert.pem');
    const key = join(fx.dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    let stderr = '';
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
      now: () => Date.now(),
    };
    const controller = new AbortController();
    let done: Promise<number> = Promise.resolve(-1);
    const url = await new Promise<string>((resolve, reject) => {
      done = runOtlp(io, { listen: '127.0.0.1:0', tlsCert: cert, tlsKey: key }, controller.signal, { started: resolve });
      done.then(() => reject(new Error(`otlp ended early: ${stderr}`)), reject);
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const sent = await sendEnvelope(agentFixture('gemini-cli-logs.json'), logExporter({ encoding: 'protobuf', url: `${url}/v1/logs`, ca: readFileSync(cert) }));
    controller.abort();
    expect(await done).toBe(0);
    expect(sent).toEqual([{ code: 0 }]);
    expect(await fx.inspector.eventCount()).toBe(1);
  });

  it('answers 503 with Retry-After: 1 after waiting 1 s (not a sync’s 15 s) for another writer of its SQLite ledger, and takes the retry once', async () => {
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
      now: () => Date.now(),
    };
    const controller = new AbortController();
    let done: Promise<number> = Promise.resolve(-1);
    const url = await new Promise<string>((resolve, reject) => {
      done = runOtlp(io, { listen: '127.0.0.1:0' }, controller.signal, { started: resolve });
      done.then(() => reject(new Error('otlp ended early')), reject);
    });
    const body = JSON.stringify(agentFixture('gemini-cli-logs.json'));
    const post = () => fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    // Another connection holds the write lock, as a sync's commit does.
    const holder = new Database(fx.dbPath);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const refused = await post();
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '1']);
      expect(((await refused.json()) as { message: string }).message).toMatch(/^the ledger cannot take it now \(LEDGER_LOCKED\): the ledger \S+ is locked by another writer for more than 1 s$/);
      holder.exec('ROLLBACK');
      expect((await post()).status).toBe(200);
    } finally {
      holder.close();
      controller.abort();
    }
    expect(await done).toBe(0);
    expect(await fx.inspector.eventCount()).toBe(1);
  });

  it('runs from bin/tokenledger: prints where it listens and what to set, records what the exporter sends, and on SIGTERM stops with exit 0 and its counts', async () => {
    const otlp = await spawnListening(
      TOKENLEDGER_BIN,
      ['otlp', '--listen', '127.0.0.1:0', '--verbose'],
      { ...process.env, ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TOKENLEDGER_OTLP_TOKEN: TOKEN, TZ: 'UTC' },
      /listening on (http:\/\/\S+)\n[\s\S]*Authorization=Bearer/,
    );
    const url = otlp.url;
    const stdout = otlp.stdout();
    expect(stdout).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${url}\n`);
    expect(stdout).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n');
    expect(await sendEnvelope(agentFixture('claude-code-logs.json'), logExporter({ encoding: 'protobuf', url: `${url}/v1/logs`, headers: { Authorization: `Bearer ${TOKEN}` } }))).toEqual([
      { code: 0 },
    ]);
    expect((await fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    otlp.kill('SIGTERM');
    expect(await otlp.exited).toBe(0);
    const stderr = otlp.stderr();
    expect(await fx.inspector.eventCount()).toBe(2);
    expect(stderr).toContain('tokenledger otlp: POST /v1/logs: 2 usage (2 new), 3 ignored, 0 rejected, 0 unknown');
    expect(stderr).toContain('tokenledger otlp: 401 POST /v1/logs: no Authorization header');
    expect(stderr).toContain('tokenledger otlp: stopped; 1 request taken: 2 usage records (2 new to the ledger), 3 ignored, 0 rejected, 0 of unknown agents; 1 refused');
    expect(otlp.stdout() + stderr).not.toContain(TOKEN);
  });
});
