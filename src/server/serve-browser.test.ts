import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Io } from '../cli/io.js';
import { runServe } from '../cli/commands/serve.js';
import { packageRoot } from '../core/package-root.js';
import { REPORTS } from '../reports/index.js';
import { launchChromium, pageProblems } from '../testing/chromium.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { transcriptLines } from '../watch/sample-lines.js';

const HOSTILE = '/home/dev/<img src=x onerror=alert(1)>';
/** The page reads these; until they are registered, the page has nothing to show. */
const NEEDED = ['daily', 'session'];
const ready = NEEDED.every((name) => REPORTS.some((r) => r.name === name));

let fx: FixtureLedger;
let browser: Browser;
let url = '';
let stop: () => Promise<number>;
const session = transcriptLines('s-page', HOSTILE);
let transcript = '';

beforeAll(async () => {
  if (!ready) return;
  fx = new FixtureLedger();
  writeFileSync(join(fx.dir, 'config.json'), '{}');
  const now = Date.now();
  transcript = fx.write('claude/projects/-home-dev-hostile/s-page.jsonl', session.exchange(0, now - 60_000));
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  let done: Promise<number> = Promise.resolve(0);
  await new Promise<void>((resolve, reject) => {
    done = runServe(io, { watch: true, listen: '127.0.0.1:0' }, controller.signal, {
      dashboardDir: join(packageRoot(), 'dist', 'web'),
      started: (u) => {
        url = u;
        resolve();
      },
    });
    done.catch(reject);
  });
  stop = async () => {
    controller.abort();
    return done;
  };
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  if (!ready) return;
  await browser.close();
  await stop();
  fx.remove();
});

it.skipIf(!ready)('serves the built page under its security headers: no violation, hostile names as text, live within 2 s', async () => {
  await expect.poll(() => fx.inspector.eventCount(), { timeout: 10_000 }).toBe(1);
  const page = await browser.newPage();
  const problems = pageProblems(page);
  await page.goto(`${url}/sessions`);
  await page.getByText('<img src=x onerror=alert(1)>', { exact: false }).first().waitFor({ timeout: 5_000 });
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // New usage in the followed transcript: the open page asks for its data again within 2 s.
  const refetched = page.waitForRequest((request) => request.url().includes('/api/v1/session'), { timeout: 2_000 });
  appendFileSync(transcript, session.exchange(1, Date.now()));
  await refetched;
  expect(problems).toEqual([]);
  await page.close();
});

it.skipIf(!ready)('answers every view of the page with no refused request', async () => {
  const page = await browser.newPage();
  const problems = pageProblems(page);
  const refused: string[] = [];
  const pending = new Set<unknown>();
  let answered = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/') && !request.url().includes('/api/v1/events')) pending.add(request);
  });
  const settled = (request: unknown): void => {
    if (pending.delete(request)) answered += 1;
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  page.on('response', (response) => {
    if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
  });
  for (const view of ['/', '/sessions', '/sessions/s-page', '/models', '/projects', '/users', '/keys', '/analysis', '/budgets']) {
    const before = answered;
    await page.goto(`${url}${view}`);
    // The view asked the API for its figures and has them all.
    await expect.poll(() => answered > before && pending.size === 0, { timeout: 10_000 }).toBe(true);
  }
  expect(refused).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});
