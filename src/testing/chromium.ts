import type { Page } from 'playwright-core';

/** Debian's Chromium, headless, as every browser test launches it (see `browser.ts`). */
export { launchChromium } from './browser.js';

/** Collects what a page reports as going wrong: console errors, uncaught exceptions, failed requests, dialogs. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Leaving a view aborts its requests, and the event stream ends with the page.
    if (!/ERR_ABORTED/.test(request.failure()?.errorText ?? '')) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}
