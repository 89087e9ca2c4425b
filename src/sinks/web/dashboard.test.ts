import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../../build-web.mjs';
import type { Io } from '../../cli/io.js';
import { runServe } from '../../cli/commands/serve.js';
import { launchChromium, pageProblems } from '../../testing/chromium.js';
import { FixtureLedger, type RecordedEvent } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

// Every view of the built page, in Chromium, over `tokenledger serve` on a real ledger.
const XSS_PROJECT = '/home/dev/<img src=x onerror=alert(1)>';
const HOUR = 3_600_000;
const now = Date.now();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let fixture: FixtureLedger;
let webDir: string;
let url = '';
let stop: () => Promise<number>;
let browser: Browser;

function events(): RecordedEvent[] {
  const at = (hoursAgo: number) => now - hoursAgo * HOUR;
  return [
    { occurredAt: at(30), costNanos: 2_500_000_000, sessionId: 'sess-alpha', project: XSS_PROJECT, model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 500, cacheWrite5mTokens: 2000 },
    { occurredAt: at(29), costNanos: 1_250_000_000, sessionId: 'sess-alpha', project: XSS_PROJECT, model: 'claude-opus-4-5', inputTokens: 100, outputTokens: 900 },
    { occurredAt: at(5), costNanos: 400_000_000, sessionId: 'sess-beta', project: '/home/dev/web-shop', agent: 'codex-cli', provider: 'openai', model: 'gpt-5-codex', inputTokens: 3000 },
    { occurredAt: at(1), costNanos: 0, unpriced: true, sessionId: 'sess-gamma', project: '/home/dev/web-shop', model: 'mystery-model', inputTokens: 10 },
  ];
}

beforeAll(async () => {
  fixture = new FixtureLedger();
  await fixture.record(events());
  const created = await runCliOn(fixture, ['keys', 'create', 'ci-key', '--budget', '5', '--period', 'month'], { now });
  if (created.code !== 0) throw new Error(created.stderr);
  webDir = mkdtempSync(join(tmpdir(), 'tokenledger-web-'));
  await buildDashboard(webDir);
  writeFileSync(join(fixture.dir, 'config.json'), '{}');
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: { ...fixture.env, TOKENLEDGER_DB: fixture.dbPath, TOKENLEDGER_CONFIG: join(fixture.dir, 'config.json'), TOKENLEDGER_ADMIN_TOKEN: 'admin-secret', TZ: 'UTC' },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  let done: Promise<number> = Promise.resolve(0);
  await new Promise<void>((resolve, reject) => {
    done = runServe(io, { listen: '127.0.0.1:0' }, controller.signal, {
      dashboardDir: webDir,
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
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
  fixture?.remove();
  rmSync(webDir, { recursive: true, force: true });
});

const range = `?since=${day(now - 3 * 24 * HOUR)}&timezone=UTC`;

async function open(path: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems = pageProblems(page);
  await page.goto(url + path);
  return { page, problems };
}

async function ready(page: Page, view: string): Promise<void> {
  await page.waitForSelector(`[data-testid="view-${view}"][data-ready]`, { timeout: 15_000 });
}

describe('the dashboard in Chromium', () => {
  const views: [string, string][] = [
    ['/', 'overview'],
    ['/sessions', 'sessions'],
    ['/sessions/sess-alpha', 'session'],
    ['/models', 'models'],
    ['/projects', 'projects'],
    ['/users', 'users'],
    ['/keys', 'keys'],
    ['/analysis', 'analysis'],
    ['/budgets', 'budgets'],
  ];

  for (const [path, view] of views) {
    it(`draws ${path} without errors, at 1280 and 375 px`, async () => {
      for (const width of [1280, 375]) {
        const { page, problems } = await open(path + range, width);
        await ready(page, view);
        expect(await page.locator('[data-testid="error"]').count()).toBe(0);
        expect(await page.locator('img').count()).toBe(0);
        // Nothing wider than the window at 375 px but the tables' own scrolling boxes.
        if (width === 375)
          expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        expect(problems).toEqual([]);
        await page.close();
      }
    });
  }

  it('shows the range total as the CLI computes it, and draws the chart', async () => {
    const { page, problems } = await open(`/${range}`);
    await ready(page, 'overview');
    expect(await page.textContent('[data-testid="total-cost"]')).toBe('$4.15');
    await page.waitForSelector('[data-testid="spend-chart"][data-drawn]');
    await page.click('[data-dimension="project"]');
    await page.waitForSelector('[data-testid="spend-chart"][data-drawn]');
    expect(page.url()).toContain('chart=project');
    expect(await page.textContent('[data-testid="spend-chart"]')).toContain(XSS_PROJECT);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps a project named like markup as text and marks unpriced models', async () => {
    const { page, problems } = await open(`/projects${range}`);
    await ready(page, 'projects');
    expect(await page.locator('[data-testid="projects-table"]').textContent()).toContain(XSS_PROJECT);
    expect(await page.locator('img').count()).toBe(0);
    await page.click('[data-testid="nav-models"]');
    await ready(page, 'models');
    expect(await page.locator('[data-testid="model-row"]', { hasText: 'mystery-model' }).locator('[data-testid="unpriced"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sorts and searches sessions, and opens a session’s messages on a click', async () => {
    const { page, problems } = await open(`/sessions${range}`);
    await ready(page, 'sessions');
    expect(await page.locator('[data-testid="session-row"]').count()).toBe(3);
    expect(await page.locator('[data-testid="session-row"] [data-testid="session-cost"]').first().textContent()).toBe('$3.75');
    await page.fill('[data-testid="sessions-search"]', 'codex');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="session-row"]').length === 1,
    );
    // The table is redrawn under the search box, which keeps its focus; the address keeps the search.
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid')),
    ).toBe('sessions-search');
    expect(new URL(page.url()).searchParams.get('q')).toBe('codex');
    // Links to other views carry the filters, not this view's own state.
    expect(await page.getAttribute('[data-testid="nav-models"]', 'href')).toBe(`/models${range}`);
    await page.fill('[data-testid="sessions-search"]', '');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="session-row"]').length === 3,
    );
    await page.locator('[data-testid="session-row"]', { hasText: 'sess-alp' }).locator('td[data-col="agent"]').click();
    await ready(page, 'session');
    expect(new URL(page.url()).pathname).toBe('/sessions/sess-alpha');
    expect(await page.locator('[data-testid="message-row"]').count()).toBe(2);
    expect(await page.locator('[data-testid="message-cost"]').first().textContent()).toBe('$2.50');
    await page.goBack();
    await ready(page, 'sessions');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists gateway keys with their budgets', async () => {
    const { page, problems } = await open(`/keys${range}`);
    await ready(page, 'keys');
    const row = page.locator('[data-testid="key-row"]', { hasText: 'ci-key' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('[data-testid="budget-level"]').textContent()).toBe('OK');
    expect(await row.locator('[data-testid="key-cost"]').textContent()).toBe('$0.00');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sets and removes a budget with the admin token', async () => {
    const { page, problems } = await open(`/budgets${range}`);
    await ready(page, 'budgets');
    await page.fill('[data-testid="admin-token"]', 'admin-secret');
    await page.fill('[data-testid="budget-usd-input"]', '2');
    await page.click('[data-testid="budget-submit"]');
    const global = page.locator('[data-testid="budget-row"]', { hasText: 'global' });
    await global.waitFor();
    expect(await global.locator('[data-testid="budget-usd"]').textContent()).toBe('$2.00');
    await global.locator('[data-testid="budget-remove"]').click();
    await global.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="budget-row"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('updates an open page when the ledger changes, without reloading', async () => {
    const { page, problems } = await open(`/${range}`);
    await ready(page, 'overview');
    await page.waitForSelector('[data-testid="live-status"]:text("live")');
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    await fixture.record([{ occurredAt: Date.now(), costNanos: 1_000_000_000, sessionId: 'sess-delta', project: '/home/dev/web-shop' }], 'more');
    await page.waitForFunction(
      () => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid="total-cost"]')?.textContent === '$5.15',
      null,
      { timeout: 5_000 },
    );
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
