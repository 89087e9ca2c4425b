import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);

/** The package's own data, plus one model it lacks and one price moved: what a newer data file looks like. */
let newerData: string;
beforeAll(async () => {
  const genai = await import('@pydantic/genai-prices');
  const providers = JSON.parse(JSON.stringify(await genai.waitForUpdate())) as { id: string; models: { id: string; match: unknown; prices: unknown }[] }[];
  const anthropic = providers.find((p) => p.id === 'anthropic')!;
  const haiku = anthropic.models.find((m) => m.id === 'claude-3-haiku')!;
  haiku.prices = { ...(haiku.prices as object), input_mtok: 0.2 };
  anthropic.models.unshift({ id: 'claude-fable-5-2', match: { starts_with: 'claude-fable-5-2' }, prices: { input_mtok: 7, output_mtok: 35 } });
  newerData = JSON.stringify(providers);
});

let ledger: FixtureLedger;
let server: Server;
let base: string;
let requests: string[];
let handler: (request: IncomingMessage, response: ServerResponse) => void;
beforeEach(async () => {
  ledger = new FixtureLedger();
  requests = [];
  handler = (_request, response) => response.end(newerData);
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  ledger.remove();
});

const run = (args: string[]) => runCliOn(ledger, args, { now: NOW });
const folder = () => join(ledger.env.HOME as string, '.local', 'share', 'tokenledger', 'prices');
const kept = () => (existsSync(folder()) ? readdirSync(folder()).sort() : []);

describe('prices update', () => {
  it('keeps newer data with its version and date, tells what changed, and prices with it from then on', async () => {
    expect((await run(['prices', 'claude-fable-5-2'])).code).toBe(2);
    const r = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Fetched price data 2025-10-10 [0-9a-f]{12} from http:\/\/127\.0\.0\.1:\d+\/data\.json/);
    expect(r.stdout).toContain('New models (1): anthropic/claude-fable-5-2');
    expect(r.stdout).toContain('anthropic/claude-3-haiku: input $0.25 → $0.2 per million tokens');
    expect(r.stdout).toContain('Removed models (0)');
    const pointer = JSON.parse(readFileSync(join(folder(), 'current.json'), 'utf8'));
    expect(pointer).toMatchObject({ fetchedAt: '2025-10-10T12:00:00.000Z', url: `${base}/data.json`, file: expect.stringMatching(/^data-[0-9a-f]{12}\.json$/) });
    expect(kept()).toEqual(['current.json', pointer.file]);

    const price = await run(['prices', 'claude-fable-5-2', '--json']);
    expect(price.code, price.stderr).toBe(0);
    const shown = JSON.parse(price.stdout);
    expect(shown.priceVersion).toContain(`genai-prices data ${pointer.version};`);
    expect(shown.origin).toBe(`@pydantic/genai-prices data ${pointer.version} (anthropic/claude-fable-5-2)`);
    expect(shown.base).toMatchObject({ input: 7, output: 35 });
  });

  it('lets reprice apply the fetched prices to events recorded before', async () => {
    await ledger.record([{ model: 'claude-fable-5-2', occurredAt: NOW - 3_600_000, inputTokens: 1_000_000, costNanos: 0, unpriced: true }]);
    expect((await run(['prices', 'update', '--url', `${base}/data.json`])).code).toBe(0);
    const r = await run(['reprice', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: 1, unpricedEvents: 0, priceVersion: expect.stringContaining('genai-prices data 2025-10-10') });
    expect((await ledger.events())[0]).toMatchObject({ costNanos: 7_000_000_000, unpriced: false });
  });

  it('never fetches during reports: only `prices update` goes online', async () => {
    ledger.write('config/tokenledger/config.json', JSON.stringify({ priceData: { url: `${base}/data.json` } }));
    for (const args of [['daily', '--no-sync'], ['prices', 'claude-sonnet-4-5'], ['reprice']]) expect((await run(args)).code).toBe(0);
    expect(requests).toEqual([]);
    expect((await run(['prices', 'update'])).code).toBe(0);
    expect(requests).toEqual(['/data.json']);
  });

  it('refuses truncated data and keeps the data fetched before', async () => {
    expect((await run(['prices', 'update', '--url', `${base}/data.json`])).code).toBe(0);
    const before = readFileSync(join(folder(), 'current.json'), 'utf8');
    handler = (_request, response) => response.end(newerData.slice(0, newerData.length / 2));
    const r = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is not valid JSON (cut short?)');
    expect(r.stderr).toContain('nothing was changed');
    expect(readFileSync(join(folder(), 'current.json'), 'utf8')).toBe(before);
  });

  it('refuses hostile data without keeping anything or polluting prototypes', async () => {
    handler = (_request, response) => response.end('[{"id":"anthropic","models":[],"__proto__":{"isAdmin":true}}]');
    const r = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('holds the key "__proto__"');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    handler = (_request, response) => response.end(newerData.replace('"input_mtok":7', '"input_mtok":"7; DROP TABLE"'));
    expect((await run(['prices', 'update', '--url', `${base}/data.json`])).stderr).toContain('("claude-fable-5-2").prices.input_mtok must be a non-negative number');
    expect(kept()).toEqual([]);
  });

  it('refuses data larger than price data can be, declared or streamed', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      response.write('[');
    };
    const declared = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(declared.code).toBe(4);
    expect(declared.stderr).toContain(`is ${64 * 1024 * 1024} bytes, more than the`);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    handler = (_request, response) => {
      const more = (): void => {
        while (response.write(chunk));
        response.once('drain', more);
      };
      response.on('error', () => undefined);
      more();
    };
    const streamed = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(streamed.code).toBe(4);
    expect(streamed.stderr).toContain('is more than the 33554432 bytes price data can be');
    expect(kept()).toEqual([]);
  });

  it('gives up on a server that never answers after --timeout', async () => {
    handler = () => undefined;
    const r = await run(['prices', 'update', '--url', `${base}/data.json`, '--timeout', '0.2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no price data from http://127.0.0.1');
    expect(r.stderr).toContain('within 0.2 s');
    expect(kept()).toEqual([]);
  });

  it('does not follow a redirect: it names where the data moved', async () => {
    handler = (_request, response) => {
      response.writeHead(302, { location: 'http://198.51.100.7/elsewhere.json' });
      response.end();
    };
    const r = await run(['prices', 'update', '--url', `${base}/data.json`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('redirects (HTTP 302) to http://198.51.100.7/elsewhere.json; redirects are not followed');
    expect(requests).toEqual(['/data.json']);
    expect(kept()).toEqual([]);
  });

  it('prints no secret of the address, fetched or failed', async () => {
    const secret = `${base}/data.json?token=s3cr3t`;
    const ok = await run(['prices', 'update', '--url', secret]);
    expect(ok.code).toBe(0);
    handler = (_request, response) => response.writeHead(500).end();
    const failed = await run(['prices', 'update', '--url', secret]);
    expect(failed.stderr).toContain('HTTP 500');
    for (const text of [ok.stdout, ok.stderr, failed.stderr, readFileSync(join(folder(), 'current.json'), 'utf8')]) expect(text).not.toContain('s3cr3t');
  });

  it('leaves fetched data aside once tokenledger is upgraded to a newer built-in catalog', async () => {
    expect((await run(['prices', 'update', '--url', `${base}/data.json`])).code).toBe(0);
    const path = join(folder(), 'current.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), builtinVersion: '0.0.1' }));
    const r = await run(['prices', 'claude-3-haiku-20240307', '--json']);
    expect(JSON.parse(r.stdout).priceVersion).toMatch(/^genai-prices \d+\.\d+\.\d+;/);
    expect(JSON.parse(r.stdout).base.input).toBe(0.25);
  });

  it('refuses a bad --timeout before going online', async () => {
    mkdirSync(folder(), { recursive: true });
    const r = await run(['prices', 'update', '--url', `${base}/data.json`, '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout must be a number of seconds');
    expect(requests).toEqual([]);
  });
});
