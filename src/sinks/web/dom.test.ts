import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pageProblems } from '../../testing/chromium.js';

// The page's DOM helper, run where it runs: in Chromium.
let browser: Browser;
let helper: string;

beforeAll(async () => {
  browser = await launchChromium();
  const out = await build({ entryPoints: ['src/sinks/web/page/dom.ts'], bundle: true, write: false, format: 'iife', globalName: 'dom', platform: 'browser', target: 'es2020' });
  helper = out.outputFiles[0]!.text;
});

afterAll(async () => {
  await browser?.close();
});

const XSS = '<img src=x onerror=alert(1)>';

/** What the tests touch of the page's globals (the root project is checked without the DOM's types). */
interface PageElement {
  textContent: string | null;
  outerHTML: string;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  dom: { h(tag: string, attrs?: Record<string, unknown> | null, ...children: unknown[]): PageElement };
  document: { body: { appendChild(element: PageElement): void }; querySelectorAll(selector: string): { length: number } };
}

describe('the DOM helper', () => {
  it('puts text and attribute values in as text, never as markup', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: helper });
    const result = await page.evaluate((xss) => {
      const { dom, document } = globalThis as unknown as PageGlobals;
      const { h } = dom;
      const element = h('p', { title: xss, class: 'x', testid: 'cell' }, xss, h('b', null, 42), [null, false, ' tail']);
      document.body.appendChild(element);
      return { text: element.textContent, title: element.getAttribute('title'), images: document.querySelectorAll('img').length, html: element.outerHTML, testid: element.dataset.testid };
    }, XSS);
    expect(result.text).toBe(`${XSS}42 tail`);
    expect(result.title).toBe(XSS);
    expect(result.images).toBe(0);
    expect(result.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(result.testid).toBe('cell');
    await page.waitForTimeout(100);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses handler strings and links off the page', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: helper });
    const errors = await page.evaluate(() => {
      const { h } = (globalThis as unknown as PageGlobals).dom;
      const attempts = [() => h('div', { onclick: 'alert(1)' }), () => h('a', { href: 'javascript:alert(1)' }), () => h('a', { href: '//evil.example/' }), () => h('a', { href: '/sessions/x' })];
      return attempts.map((attempt) => {
        try {
          attempt();
          return 'ok';
        } catch (error) {
          return (error as Error).message;
        }
      });
    });
    expect(errors[0]).toMatch(/functions only/);
    expect(errors[1]).toMatch(/refusing href/);
    expect(errors[2]).toMatch(/refusing href/);
    expect(errors[3]).toBe('ok');
    await page.close();
  });
});
