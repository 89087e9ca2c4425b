import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { watchedPage } from '../src/testing/browser.js';
import { DASHBOARD_VIEWS, viewPath, viewReady } from '../src/testing/dashboard-views.js';

/** The widths every view is photographed at: a laptop, and a phone. */
export const SCREENSHOT_WIDTHS = [1280, 375] as const;

/**
 * Writes `<view>-<width>.png` (the whole page) into `folder` for every view at every width, each
 * once the view has drawn its data; returns how many files were written.
 */
export async function writeScreenshots(browser: Browser, url: string, sessionId: string, folder: string): Promise<number> {
  let written = 0;
  for (const width of SCREENSHOT_WIDTHS) {
    const { page, context } = await watchedPage(browser, width, width > 600 ? 800 : 812);
    try {
      for (const view of DASHBOARD_VIEWS) {
        await page.goto(`${url}${viewPath(view, sessionId)}`);
        await page.waitForSelector(viewReady(view.name), { state: 'attached', timeout: 30_000 });
        await page.screenshot({ path: join(folder, `${view.name}-${width}.png`), fullPage: true });
        written += 1;
      }
    } finally {
      await context.close();
    }
  }
  return written;
}
