import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { browserSkipReason, CHROMIUM_PATH, describeInBrowser } from './browser.js';

it('skips browser tests only without Chromium and outside CI', () => {
  const present = existsSync(CHROMIUM_PATH);
  expect(browserSkipReason({ CI: 'true' })).toBeUndefined();
  expect(browserSkipReason({}) === undefined).toBe(present);
  if (!present) expect(browserSkipReason({})).toContain(CHROMIUM_PATH);
});

describeInBrowser('the browser rig', (rig) => {
  it('collects console errors, uncaught exceptions and dialogs of a page', async () => {
    const { page, errors, dialogs } = await rig.page(375, 640);
    await page.setContent('<p id="w"></p><script>console.error("boom"); alert("hi"); setTimeout(() => { throw new Error("late") });</script>');
    await page.waitForFunction(() => true);
    await expect.poll(() => errors.length).toBe(2);
    expect(errors).toEqual(['console: boom', 'exception: late']);
    expect(dialogs).toEqual(['hi']);
    expect(page.viewportSize()).toEqual({ width: 375, height: 640 });
  });
});
