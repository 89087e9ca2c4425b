import { appendFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../cli/io.js';
import { runServe, type ServeTuning } from '../cli/commands/serve.js';
import { hashSecret, newSecret, secretPrefix } from '../gateway/keys/secret.js';
import { type AnthropicScenario, fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { gatewayWriterScript } from '../testing/gateway-writer-bundle.js';
import { runCliOn } from '../testing/run-cli.js';
import { transcriptLines } from '../watch/sample-lines.js';
import { SECURITY_HEADERS } from './security-headers.js';

const READ_TOKEN = 'read-token-for-tests-0123456789';
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

interface Served {
  url: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<number>;
}

let fx: FixtureLedger;
let served: Served | undefined;

beforeEach(() => {
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
});
afterEach(async () => {
  await served?.stop();
  served = undefined;
  fx.remove();
});

/** Runs `serve` in this process over the fixture (real files, a real port) until `stop`. */
async function serve(flags: Record<string, unknown>, env: Record<string, string> = {}, tuning: ServeTuning = {}): Promise<Served> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC', ...env },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  let url = '';
  let done: Promise<number> = Promise.resolve(-1);
  await new Promise<void>((resolve, reject) => {
    done = runServe(io, { listen: '127.0.0.1:0', ...flags }, controller.signal, {
      pollMs: 100,
      ...tuning,
      started: (u) => {
        url = u;
        resolve();
      },
    });
    done.then(() => reject(new Error(`serve ended early: ${stderr}`)), reject);
  });
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

/** A request with the Host header chosen (fetch does not let it be set). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads server-sent events until `wanted` has come (or `ms` passed). */
async function eventsUntil(url: string, wanted: RegExp, ms: number, init: RequestInit = {}, act?: () => void): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let text = '';
  try {
    const response = await fetch(`${url}/api/v1/events`, { ...init, signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let acted = false;
    while (!wanted.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!acted && text.includes('event: ready')) {
        acted = true;
        act?.();
      }
    }
    await reader.cancel();
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return text;
}

describe('tokenledger serve', () => {
  it('refuses bad flags with exit 2: an address off loopback without TLS or a token, a bad address', async () => {
    const plain = await runCliOn(fx, ['serve', '--listen', '0.0.0.0:4001']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('refusing to listen on 0.0.0.0 without TLS');
    const tokenless = await runCliOn(fx, ['serve', '--listen', '0.0.0.0:4001', '--allow-plain-http']);
    expect(tokenless.code).toBe(2);
    expect(tokenless.stderr).toContain('needs a token to read');
    expect((await runCliOn(fx, ['serve', '--listen', 'nowhere'])).code).toBe(2);
    expect((await runCliOn(fx, ['serve', '--tls-cert', join(fx.dir, 'missing.pem')])).code).toBe(2);
  });

  it('on loopback reads without a token, answers every request with the security headers, and refuses a foreign Host', async () => {
    served = await serve({});
    expect(served.stdout()).toBe(`tokenledger serve: dashboard and API on ${served.url}/\n`);
    const index = await fetch(`${served.url}/api/v1`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(index.headers.get(name)).toBe(value);
    const missing = await fetch(`${served.url}/api/v1/no-such-report`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(missing.headers.get(name)).toBe(value);
    // A page of another site whose name resolves here (DNS rebinding) reads nothing.
    const rebound = await get(`${served.url}/api/v1`, { host: 'evil.example:4001' });
    expect(rebound.status).toBe(403);
    expect((await get(`${served.url}/api/v1`, { host: 'localhost:4001' })).status).toBe(200);
  });

  it('off loopback needs the token to read (header or the cookie /login sets), and the admin token to write', async () => {
    served = await serve({ listen: '0.0.0.0:0', allowPlainHttp: true, token: READ_TOKEN }, { TOKENLEDGER_ADMIN_TOKEN: ADMIN_TOKEN });
    const url = served.url.replace('0.0.0.0', '127.0.0.1');
    const anonymous = await fetch(`${url}/api/v1`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(anonymous.headers.get(name)).toBe(value);
    expect((await fetch(`${url}/api/v1`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${url}/api/v1`, { headers: { authorization: `Bearer ${READ_TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${url}/api/v1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    // The browser: /login keeps the token in a cookie and goes to the page.
    expect((await fetch(`${url}/login?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const login = await fetch(`${url}/login?token=${READ_TOKEN}`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect((await fetch(`${url}/api/v1`, { headers: { cookie: cookie.split(';')[0] as string } })).status).toBe(200);
    // Writes: the admin token in the header, never the read token, never a cookie.
    const body = JSON.stringify({ usd: 25, period: 'month', scope: 'global' });
    const post = (headers: Record<string, string>): Promise<Response> => fetch(`${url}/api/v1/budgets`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({ authorization: `Bearer ${READ_TOKEN}` })).status).toBe(401);
    expect((await post({ cookie: `token=${ADMIN_TOKEN}` })).status).toBe(401);
    const set = await post({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(set.status).toBe(201);
    expect(await set.json()).toMatchObject({ scope: 'global', period: 'month', budget_usd: 25 });
    const bad = await fetch(`${url}/api/v1/budgets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: '{"usd":"lots"}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_ARGUMENT', message: 'budget set expects an amount in US dollars such as 50 or 12.5, got "lots"' } });
    const removed = await fetch(`${url}/api/v1/budgets?scope=global&period=month`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ removed: true });
    expect(served.stderr()).not.toContain(READ_TOKEN);
    expect(served.stderr()).not.toContain(ADMIN_TOKEN);
  });

  it('refuses writes on loopback too without the admin token, and says when none is configured', async () => {
    served = await serve({});
    const post = await fetch(`${served.url}/api/v1/budgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"usd":5}' });
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ error: { code: 'FORBIDDEN', hint: expect.stringContaining('TOKENLEDGER_ADMIN_TOKEN') } });
  });

  it('with --watch, sends `event: ledger` within 2 s of a line appended to a followed transcript', async () => {
    const session = transcriptLines('s-live');
    const path = fx.write('claude/projects/-home-dev-app/s-live.jsonl', session.exchange(0, Date.now()));
    served = await serve({ watch: true });
    const url = served.url;
    // Caught up at start (a sync in a child process): the ledger holds the first exchange.
    await expect.poll(() => fx.inspector.eventCount(), { timeout: 10_000 }).toBe(1);
    const text = await eventsUntil(url, /event: ledger\ndata: \{"position":\d+\}/, 2_000, {}, () => appendFileSync(path, session.exchange(1, Date.now())));
    expect(text).toMatch(/event: ready\ndata: \{"position":\d+\}/);
    expect(text).toMatch(/event: ledger\ndata: \{"position":\d+\}/);
    expect(await fx.inspector.eventCount()).toBe(2);
  });

  it('without --watch, tells open pages of what another process recorded', async () => {
    served = await serve({});
    const url = served.url;
    const session = transcriptLines('s-other');
    fx.write('claude/projects/-home-dev-app/s-other.jsonl', session.exchange(0, Date.now()));
    const text = await eventsUntil(url, /event: ledger/, 5_000, {}, () => void runCliOn(fx, ['sync']));
    expect(text).toMatch(/event: ledger\ndata: \{"position":[1-9]\d*\}/);
  });

  it('ends open event streams and stops cleanly', async () => {
    served = await serve({});
    const response = await fetch(`${served.url}/api/v1/events`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const running = served;
    served = undefined;
    expect(await running.stop()).toBe(0);
    // The stream ended with the server.
    for (;;) if ((await reader.read()).done) break;
    expect(running.stderr()).toContain('tokenledger serve: stopped');
  });

  it('serves the dashboard page for every view, its assets cached by ETag, and a clear 500 when it is not built', async () => {
    const built = join(fx.dir, 'web');
    fx.write('web/index.html', '<!doctype html><title>tokenledger</title>');
    fx.write('web/app.js', 'console.log(1);');
    served = await serve({}, {}, { dashboardDir: built });
    for (const view of ['/', '/sessions', '/sessions/abc', '/models', '/projects', '/users', '/keys', '/analysis', '/budgets']) {
      const page = await fetch(`${served.url}${view}`);
      expect(page.status, view).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>tokenledger</title>');
    }
    const asset = await fetch(`${served.url}/app.js?v=abc123`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const etag = asset.headers.get('etag') as string;
    expect((await fetch(`${served.url}/assets/app.js?v=abc123`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${served.url}/assets/..%2Fconfig.json`)).status).toBe(404);
    expect((await fetch(`${served.url}/nowhere`)).status).toBe(404);
    await served.stop();
    served = await serve({}, {}, { dashboardDir: join(fx.dir, 'not-built') });
    const missing = await fetch(`${served.url}/`);
    expect(missing.status).toBe(500);
    expect(await missing.text()).toContain('npm run build');
  });

  it('with --gateway, serves a gateway request and the API on one port', async () => {
    const fake: FakeServer<AnthropicScenario> = await fakeAnthropic('sk-ant-from-env', { usage: { input: 11, output: 22 } });
    try {
      const secret = newSecret();
      await fx.read((l) => l.createKey({ namespace: 'cost-tracking', name: 'ci', secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: Date.now() }));
      writeFileSync(join(fx.dir, 'config.json'), JSON.stringify({ gateway: { upstreams: { anthropic: { baseUrl: fake.url } }, commitWindowMs: 5 } }));
      served = await serve({ gateway: true }, { ANTHROPIC_API_KEY: 'sk-ant-from-env' }, { writerScript: await gatewayWriterScript() });
      const response = await fetch(`${served.url}/anthropic/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      await response.text();
      expect((await fetch(`${served.url}/api/v1`)).status).toBe(200);
      expect((await fetch(`${served.url}/metrics`)).status).toBe(200);
      const running = served;
      served = undefined;
      expect(await running.stop()).toBe(0);
      const events = await fx.read((l) => l.sessionEvents('cost-tracking', 'gateway', 'ci'));
      expect(events).toMatchObject([{ inputTokens: 11, outputTokens: 22 }]);
    } finally {
      await fake.close();
    }
  });
});
