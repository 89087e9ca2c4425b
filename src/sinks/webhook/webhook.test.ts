import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../../core/errors.js';
import { postWebhook } from './webhook.js';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the server does with its n-th request (0-based): answer it, or leave it hanging. */
type Script = (index: number, response: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server on loopback that records every request it gets. */
async function startServer(script: Script): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      script(index, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

function answer(response: ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void {
  response.writeHead(status, headers);
  response.end(body);
}

/** A `sleep` that records the waits asked for and returns at once. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

const BODY = { namespace: 'default', totalUsd: 12.5, sessions: [{ sessionId: 'abc', total_cost_usd: 1.25 }] };

describe('postWebhook', () => {
  it('retries a 500 and a timeout, then succeeds, sending the same body and headers each time', async () => {
    const { url, received } = await startServer((index, response) => {
      if (index === 0) answer(response, 500, {}, 'boom');
      else if (index === 1)
        return; // hangs past the client's timeout
      else answer(response, 200, { 'content-type': 'application/json' }, '{"ok":true}');
    });
    const result = await postWebhook(url, BODY, { headers: { Authorization: 'Bearer t0ken', 'X-Team': 'infra' }, timeoutMs: 200, backoffMs: 10 });

    expect(result).toMatchObject({ ok: true, status: 200, attempts: 3 });
    expect(result.error).toBeUndefined();
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190); // the hung attempt alone took the 200 ms timeout
    expect(received).toHaveLength(3);
    for (const request of received) {
      expect(request.method).toBe('POST');
      expect(JSON.parse(request.body)).toEqual(BODY);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('tokenledger');
      expect(request.headers.authorization).toBe('Bearer t0ken');
      expect(request.headers['x-team']).toBe('infra');
    }
  });

  it('does not retry a 404', async () => {
    const { url, received } = await startServer((_, response) => answer(response, 404, {}, 'no such hook'));
    const { sleep, waits } = recordingSleep();
    const result = await postWebhook(url, BODY, { sleep });
    expect(result).toMatchObject({ ok: false, status: 404, attempts: 1 });
    expect(result.error).toBe('HTTP 404 Not Found: no such hook');
    expect(received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after retries + 1 attempts of 503, backing off with doubling waits', async () => {
    const { url, received } = await startServer((_, response) => answer(response, 503));
    const { sleep, waits } = recordingSleep();
    const result = await postWebhook(url, BODY, { retries: 3, backoffMs: 100, sleep });
    expect(result).toMatchObject({ ok: false, status: 503, attempts: 4, error: 'HTTP 503 Service Unavailable' });
    expect(received).toHaveLength(4);
    expect(waits).toHaveLength(3);
    // Doubling, plus at most 10 % jitter.
    [100, 200, 400].forEach((base, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(base);
      expect(waits[i]).toBeLessThanOrEqual(base * 1.1);
    });
  });

  it('reports a refused connection without throwing', async () => {
    const { url } = await startServer(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve)); // the port is now closed
    const { sleep, waits } = recordingSleep();
    const result = await postWebhook(url, BODY, { retries: 1, sleep });
    expect(result).toMatchObject({ ok: false, status: null, attempts: 2 });
    expect(result.error).toContain('ECONNREFUSED');
    expect(waits).toHaveLength(1);
  });

  it('waits as long as a 429 asks in Retry-After, up to 30 seconds', async () => {
    const { url, received } = await startServer((index, response) => {
      if (index === 0) answer(response, 429, { 'retry-after': '1' });
      else if (index === 1) answer(response, 429, { 'retry-after': '3600' });
      else if (index === 2) answer(response, 429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      else answer(response, 204);
    });
    const { sleep, waits } = recordingSleep();
    const result = await postWebhook(url, BODY, { backoffMs: 10, sleep });
    expect(result).toMatchObject({ ok: true, status: 204, attempts: 4 });
    expect(received).toHaveLength(4);
    expect(waits[0]).toBe(1_000);
    expect(waits[1]).toBe(30_000);
    // A date is not a number of seconds: the ordinary backoff applies (third wait: 10 * 2^2).
    expect(waits[2]).toBeGreaterThanOrEqual(40);
    expect(waits[2]).toBeLessThanOrEqual(44);
  });

  it('does not follow a redirect, which would turn the POST into a GET', async () => {
    const { url, received } = await startServer((_, response) => answer(response, 301, { location: 'https://example.com/new-hook' }));
    const result = await postWebhook(url, BODY, { sleep: recordingSleep().sleep });
    expect(result).toMatchObject({ ok: false, status: 301, attempts: 1 });
    expect(result.error).toContain('redirected to https://example.com/new-hook');
    expect(received).toHaveLength(1);
  });

  it("never shows the credentials or query of a redirect's Location", async () => {
    const { url } = await startServer((_, response) => answer(response, 302, { location: 'https://mover:S3CRET@example.com/new-hook?token=T0KEN' }));
    const result = await postWebhook(url, BODY, { sleep: recordingSleep().sleep });
    expect(result.error).toContain('redirected to https://***@example.com/new-hook?***');
    expect(result.error).not.toMatch(/S3CRET|T0KEN/);
  });

  it("sends a URL's userinfo as an Authorization: Basic header, and keeps its query", async () => {
    const { url, received } = await startServer((_, response) => answer(response, 204));
    const withUser = `${url.replace('http://', 'http://hook%20user:p%C3%A4ss%3Aword@')}?token=T0KEN`;
    const result = await postWebhook(withUser, BODY);
    expect(result).toMatchObject({ ok: true, status: 204 });
    expect(received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('hook user:päss:word').toString('base64')}`);
    expect(received[0]?.url).toBe('/hook?token=T0KEN');
  });

  it("lets a given Authorization header win over the URL's userinfo", async () => {
    const { url, received } = await startServer((_, response) => answer(response, 204));
    await postWebhook(url.replace('http://', 'http://u:p@'), BODY, { headers: { Authorization: 'Bearer t0ken' } });
    expect(received[0]?.headers.authorization).toBe('Bearer t0ken');
  });

  it('never shows the credentials or query of a URL it could not reach', async () => {
    const { url } = await startServer(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const result = await postWebhook(`${url.replace('http://', 'http://user:PASSW0RD@')}?token=T0KEN`, BODY, { retries: 0 });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.error).not.toMatch(/PASSW0RD|T0KEN/);
    await expect(postWebhook('not a url://user:PASSW0RD@x/?token=T0KEN', BODY)).rejects.not.toThrow(/PASSW0RD|T0KEN/);
  });

  it('lets a given header replace a default one', async () => {
    const { url, received } = await startServer((_, response) => answer(response, 200));
    await postWebhook(url, BODY, { headers: { 'User-Agent': 'my-agent/1' } });
    expect(received[0]?.headers['user-agent']).toBe('my-agent/1');
  });

  it('throws BAD_ARGUMENT for what no request can be made of', async () => {
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'not a url']) {
      await expect(postWebhook(url, BODY)).rejects.toBeInstanceOf(TokenledgerError);
      await expect(postWebhook(url, BODY)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    }
    await expect(postWebhook('http://127.0.0.1/', BODY, { retries: -1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(postWebhook('http://127.0.0.1/', BODY, { headers: { 'X-Euro': '€' } })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
