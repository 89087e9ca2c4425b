import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium, watchedPage } from '../src/testing/browser.js';
import { OVERVIEW_DRAWN } from '../src/testing/dashboard-views.js';
import { type ServeProcess, startServe } from '../src/testing/serve-process.js';
import { todaysBigLedger } from './big-ledger.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { apiEndpoints, firstSessionId } from './dashboard-endpoints.js';
import { writeReadmeScreenshot } from './dashboard-readme-shot.js';
import { writeScreenshots } from './dashboard-screenshots.js';
import { median } from './measure.js';
import { ms } from './timed-process.js';

/** Requests per endpoint (after one that warms it up), page loads of the overview. */
const REQUESTS = 20;
const PAGE_LOADS = 5;
const API_TARGET_MS = 100;
const PAGE_TARGET_MS = 1000;
const WEIGHT_TARGET_KB = 150;

/**
 * `tokenledger serve` over the million-event ledger: every API endpoint's latency, the overview
 * fully drawn in headless Chromium, the page's weight, and screenshots of every view (written to
 * `.bench/screenshots/` for people to look at, with the README's picture over the demo's sample).
 */
export const benchDashboard: BenchPart = {
  name: 'dashboard',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const db = await todaysBigLedger(ctx.work);
    const none = join(ctx.work, 'none');
    const env = { ...ctx.env, CLAUDE_CONFIG_DIR: none, CODEX_HOME: none, GEMINI_DATA_DIR: none, TOKENLEDGER_DB: db };
    const serve = await startServe(ctx.bin, ['--db', db], env);
    let browser: Browser | undefined;
    try {
      const sessionId = await firstSessionId(serve.url);
      const rows: BenchRow[] = [];
      const slowest: [string, number][] = [];
      for (const endpoint of await apiEndpoints(serve.url, sessionId)) {
        const times = await timeRequests(serve, endpoint);
        const p50 = percentile(times, 0.5);
        slowest.push([endpoint, p50]);
        rows.push([`\`GET ${endpoint}\` over 1,000,000 events`, `${ms(p50)} (p90 ${ms(percentile(times, 0.9))})`, `p50 ≤ ${API_TARGET_MS} ms`, mark(p50 <= API_TARGET_MS)]);
      }
      ctx.log(`dashboard: ${slowest.length} endpoints timed; opening the overview in Chromium`);
      browser = await launchChromium();
      const loads: number[] = [];
      let weight = { jsBytes: 0, cssBytes: 0, gzipBytes: 0 };
      for (let i = 0; i < PAGE_LOADS; i++) {
        const load = await drawOverview(browser, serve.url);
        loads.push(load.drawnMs);
        weight = load.weight;
      }
      const drawn = median(loads);
      rows.push([
        'overview fully drawn (charts included) from navigation, headless Chromium, 1,000,000 events',
        ms(drawn),
        `≤ ${PAGE_TARGET_MS} ms`,
        `${mark(drawn <= PAGE_TARGET_MS)} (median of ${PAGE_LOADS} fresh visits)`,
      ]);
      const kb = weight.gzipBytes / 1024;
      rows.push([
        'page weight: JS + CSS, gzipped',
        `${kb.toFixed(1)} KB`,
        `≤ ${WEIGHT_TARGET_KB} KB`,
        `${mark(kb <= WEIGHT_TARGET_KB)} (${(weight.jsBytes / 1024).toFixed(0)} KB JS + ${(weight.cssBytes / 1024).toFixed(0)} KB CSS raw)`,
      ]);
      const folder = join(ctx.work, 'screenshots');
      mkdirSync(folder, { recursive: true });
      const shots = await writeScreenshots(browser, serve.url, sessionId, folder);
      await writeReadmeScreenshot(ctx, browser, join(folder, 'readme-dashboard.png'));
      rows.push(['screenshots of every view at 1280 and 375 px', `${shots} files`, '', `in ${folder} (and readme-dashboard.png, over the demo's sample)`]);
      return rows;
    } finally {
      await browser?.close();
      await serve.stop();
    }
  },
};

const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');

/** The value below which `share` of `values` lie (nearest rank). */
function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * share) - 1)] as number;
}

/** Wall times of `REQUESTS` sequential GETs of `endpoint`, body read, after one untimed GET. */
async function timeRequests(serve: ServeProcess, endpoint: string): Promise<number[]> {
  const get = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${serve.url}${endpoint}`);
    const body = await response.text();
    const took = performance.now() - started;
    if (!response.ok) throw new Error(`GET ${endpoint} answered ${response.status}: ${body.slice(0, 500)}`);
    return took;
  };
  await get();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await get());
  return times;
}

interface OverviewLoad {
  drawnMs: number;
  weight: { jsBytes: number; cssBytes: number; gzipBytes: number };
}

/** One first visit of the overview (a fresh context: nothing cached), timed until its charts are drawn. */
async function drawOverview(browser: Browser, url: string): Promise<OverviewLoad> {
  const { page, context, errors } = await watchedPage(browser, 1280, 800);
  try {
    const bodies: Promise<{ type: string; bytes: Buffer }>[] = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type === 'script' || type === 'stylesheet') bodies.push(response.body().then((bytes) => ({ type, bytes })));
    });
    const started = performance.now();
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    await page.waitForSelector(OVERVIEW_DRAWN, { state: 'attached', timeout: 30_000 });
    const drawnMs = performance.now() - started;
    if (errors.length > 0) throw new Error(`the overview logged errors: ${errors.join('; ')}`);
    const assets = await Promise.all(bodies);
    const sum = (type: string): number => assets.filter((a) => a.type === type).reduce((total, a) => total + a.bytes.length, 0);
    const gzipBytes = assets.reduce((total, a) => total + gzipSync(a.bytes, { level: 9 }).length, 0);
    return { drawnMs, weight: { jsBytes: sum('script'), cssBytes: sum('stylesheet'), gzipBytes } };
  } finally {
    await context.close();
  }
}
