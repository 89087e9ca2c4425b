import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_DAYS, writeDemoSample } from '../src/sample/demo-sample.js';
import { watchedPage } from '../src/testing/browser.js';
import { OVERVIEW_DRAWN } from '../src/testing/dashboard-views.js';
import { startServe } from '../src/testing/serve-process.js';
import type { BenchContext } from './context.js';
import { measure, ok } from './measure.js';

const DAY_MS = 86_400_000;

/**
 * The README's picture of the dashboard: the overview at 1280 px over two weeks of sample logs
 * (the sample `tokenledger demo` reports on) with a monthly budget, written to `path`.
 */
export async function writeReadmeScreenshot(ctx: BenchContext, browser: Browser, path: string): Promise<void> {
  const dir = join(ctx.work, 'dashboard-sample');
  rmSync(dir, { recursive: true, force: true });
  const endAt = Date.now();
  const corpus = writeDemoSample(dir, endAt);
  const db = join(dir, 'ledger.db');
  const env = { ...ctx.env, CLAUDE_CONFIG_DIR: corpus.claudeRoot, CODEX_HOME: corpus.codexRoot, GEMINI_DATA_DIR: corpus.geminiRoot, XDG_CONFIG_HOME: join(dir, 'config'), TOKENLEDGER_DB: db };
  ok(await measure(process.execPath, [ctx.bin, 'sync', '--db', db], env), 'sync of the sample');
  ok(await measure(process.execPath, [ctx.bin, 'budget', 'set', '12', '--period', 'month', '--db', db], env), 'budget set');
  const serve = await startServe(ctx.bin, ['--db', db], env);
  const { page, context } = await watchedPage(browser, 1280, 900);
  try {
    const since = new Date(endAt - (DEMO_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${serve.url}/?since=${since}`);
    await page.waitForSelector(OVERVIEW_DRAWN, { state: 'attached', timeout: 30_000 });
    await page.screenshot({ path, type: 'png' });
  } finally {
    await context.close();
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
