import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Dialog, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';

/** Debian's `chromium` package, which `.ci/run` installs when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or undefined when they can. Only a machine without Chromium
 * outside CI skips them; in CI (`CI` set) a missing browser is a failure, not a skip.
 */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (env.CI !== undefined && env.CI !== '') return undefined;
  return `browser tests skipped: ${CHROMIUM_PATH} is missing (install Debian's chromium package; in CI they fail instead)`;
}

/** Launches headless Chromium (without its sandbox when running as root, where it refuses to start). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install chromium)`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: asRoot ? ['--no-sandbox'] : [] });
}

/** A page that remembers what went wrong on it: console errors, uncaught exceptions, failed requests, dialogs opened. */
export interface WatchedPage {
  page: Page;
  /** Console messages of type `error`, uncaught page exceptions and failed requests, in order. */
  errors: string[];
  /** Messages of every `alert`, `confirm` or `prompt` the page opened (each dismissed at once). */
  dialogs: string[];
}

/** Opens a page in its own context (`width` x `height` CSS pixels) and starts watching it. */
export async function watchedPage(browser: Browser, width = 1280, height = 800): Promise<WatchedPage & { context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width, height } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const watched = { page, context, errors: [] as string[], dialogs: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.errors.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Leaving a view aborts its requests, and an event stream ends with its page: not failures.
    const why = request.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) watched.errors.push(`request failed: ${request.url()} ${why}`);
  });
  page.on('dialog', (dialog: Dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => {});
  });
  return watched;
}

/**
 * Waits for `selector` on the watched page; a page that never shows it fails with what went wrong
 * on it (its console errors and exceptions), not with a bare timeout.
 */
export async function waitForShown(watched: WatchedPage, selector: string, timeoutMs = 15_000): Promise<void> {
  try {
    await watched.page.waitForSelector(selector, { state: 'attached', timeout: timeoutMs });
  } catch (error) {
    const said = watched.errors.length > 0 ? watched.errors.join('\n') : 'no console error';
    throw new Error(`${watched.page.url()} never showed ${selector} within ${timeoutMs} ms (${said})`, { cause: error });
  }
}

/** What a browser test file is given: one Chromium for the file, fresh pages per test. */
export interface BrowserRig {
  readonly browser: Browser;
  /** A new watched page, closed after the current test. */
  page(width?: number, height?: number): Promise<WatchedPage>;
}

/**
 * `describe` for browser tests: launches one Chromium before the file's tests and closes it after;
 * pages opened with `rig.page()` are closed after each test. Skipped, with the reason in its name,
 * only when `browserSkipReason()` says so.
 */
export function describeInBrowser(name: string, body: (rig: BrowserRig) => void): void {
  const skip = browserSkipReason();
  if (skip !== undefined) {
    describe.skip(`${name} (${skip})`, () => body(unavailableRig(skip)));
    return;
  }
  describe(name, () => {
    let browser: Browser | undefined;
    const open: BrowserContext[] = [];
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((context) => context.close()));
    });
    afterAll(async () => {
      await browser?.close();
    });
    body({
      get browser(): Browser {
        if (browser === undefined) throw new Error('the browser is launched before the first test');
        return browser;
      },
      async page(width, height) {
        const { context, ...watched } = await watchedPage(this.browser, width, height);
        open.push(context);
        return watched;
      },
    });
  });
}

function unavailableRig(reason: string): BrowserRig {
  return {
    get browser(): Browser {
      throw new Error(reason);
    },
    page: () => Promise.reject(new Error(reason)),
  };
}
