import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runServe, type ServeTuning } from '../cli/commands/serve.js';
import type { Io } from '../cli/io.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { gatewayWriterScript } from '../testing/gateway-writer-bundle.js';
import { agentFixture, logExporter, sendEnvelope } from '../testing/otlp-clients.js';
import { runCliOn } from '../testing/run-cli.js';

const READ_TOKEN = 'read-token-for-tests-0123456789';
const OTLP_TOKEN = 'otlp-token-for-tests-0123456789';

let fx: FixtureLedger;
let stop: (() => Promise<number>) | undefined;
beforeEach(() => {
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
  fx.write('web/index.html', '<!doctype html><title>tokenledger</title>');
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
  fx.remove();
});

/** `serve --otlp` in this process over the fixture, on a port of its own; its URL and what it said. */
async function serveOtlp(flags: Record<string, unknown>, env: Record<string, string> = {}, tuning: ServeTuning = {}): Promise<{ url: string; stderr: () => string }> {
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC', ...env },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  let done: Promise<number> = Promise.resolve(-1);
  const url = await new Promise<string>((resolve, reject) => {
    done = runServe(io, { listen: '127.0.0.1:0', otlp: true, ...flags }, controller.signal, { dashboardDir: join(fx.dir, 'web'), ...tuning, started: resolve });
    done.then(() => reject(new Error(`serve ended early: ${stderr}`)), reject);
  });
  stop = () => {
    controller.abort();
    return done;
  };
  return { url, stderr: () => stderr };
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('tokenledger serve --otlp', () => {
  it('takes OTLP on the dashboard’s port: POST / and /v1/logs to the receiver, GET / and the API still the dashboard’s', async () => {
    const served = await serveOtlp({});
    expect(await sendEnvelope(agentFixture('gemini-cli-logs.json'), logExporter({ encoding: 'json', url: served.url }))).toEqual([{ code: 0 }]);
    expect(await sendEnvelope(agentFixture('claude-code-logs.json'), logExporter({ encoding: 'protobuf', url: `${served.url}/v1/logs`, gzip: true }))).toEqual([{ code: 0 }]);
    expect(await fx.inspector.eventCount()).toBe(3);
    const page = await fetch(`${served.url}/`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('<title>tokenledger</title>')]);
    expect((await fetch(`${served.url}/api/v1`)).status).toBe(200);
    // The receiver's answers carry the server's security headers too.
    const get = await fetch(`${served.url}/v1/logs`);
    expect([get.status, get.headers.get('allow'), get.headers.get('x-content-type-options')]).toEqual([405, 'POST', 'nosniff']);
    expect(await stop?.()).toBe(0);
    stop = undefined;
    expect(served.stderr()).toContain('OTLP/HTTP on the same port');
    expect(served.stderr()).toContain('tokenledger serve: OTLP: 2 requests taken: 3 usage records (3 new to the ledger)');
  });

  it('records OTLP through a handle of its own that waits 1 s for another writer of a SQLite ledger, then answers 503 with Retry-After: 1', async () => {
    const served = await serveOtlp({});
    const body = JSON.stringify(agentFixture('gemini-cli-logs.json'));
    const post = () => postJson(`${served.url}/v1/logs`, JSON.parse(body));
    const holder = new Database(fx.dbPath);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const refused = await post();
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '1']);
      expect(((await refused.json()) as { message: string }).message).toContain('is locked by another writer for more than 1 s');
      // The dashboard's API still reads meanwhile.
      expect((await fetch(`${served.url}/api/v1`)).status).toBe(200);
      holder.exec('ROLLBACK');
      expect((await post()).status).toBe(200);
    } finally {
      holder.close();
    }
    expect(await stop?.()).toBe(0);
    stop = undefined;
    expect(await fx.inspector.eventCount()).toBe(1);
  });

  it('needs serve’s token for OTLP when one is set, or the OTLP token when that is set', async () => {
    const served = await serveOtlp({ token: READ_TOKEN });
    expect((await postJson(`${served.url}/v1/logs`, {})).status).toBe(401);
    expect((await postJson(`${served.url}/v1/logs`, {}, { Authorization: `Bearer ${READ_TOKEN}` })).status).toBe(200);
    await stop?.();
    const own = await serveOtlp({ token: READ_TOKEN }, { TOKENLEDGER_OTLP_TOKEN: OTLP_TOKEN });
    expect((await postJson(`${own.url}/v1/logs`, {}, { Authorization: `Bearer ${READ_TOKEN}` })).status).toBe(401);
    expect((await postJson(`${own.url}/v1/logs`, {}, { Authorization: `Bearer ${OTLP_TOKEN}` })).status).toBe(200);
    // Reading the dashboard still takes its own token.
    expect((await fetch(`${own.url}/api/v1`, { headers: { Authorization: `Bearer ${OTLP_TOKEN}` } })).status).toBe(401);
  });

  it('with --gateway too, the OTLP paths stay the receiver’s and the gateway keeps its own', async () => {
    writeFileSync(join(fx.dir, 'config.json'), JSON.stringify({ gateway: { upstreams: { anthropic: { baseUrl: 'http://127.0.0.1:9' } } } }));
    const served = await serveOtlp({ gateway: true }, { ANTHROPIC_API_KEY: 'sk-ant-test' }, { writerScript: await gatewayWriterScript() });
    expect(await sendEnvelope(agentFixture('claude-code-logs.json'), logExporter({ encoding: 'json', url: `${served.url}/v1/logs` }))).toEqual([{ code: 0 }]);
    expect(await fx.inspector.eventCount()).toBe(2);
    // A gateway path without a gateway key: the gateway's own refusal.
    const gatewayAnswer = await postJson(`${served.url}/v1/messages`, {});
    expect(gatewayAnswer.status).toBe(401);
    expect(await gatewayAnswer.text()).not.toContain('OTLP');
  });

  it('refuses a short OTLP token with exit 2', async () => {
    const r = await runCliOn(fx, ['serve', '--otlp', '--otlp-token', 'short']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('the OTLP token must be at least 16 characters long')]);
  });
});
