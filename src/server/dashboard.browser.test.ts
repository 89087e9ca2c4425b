import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatUsd, NANOS_PER_USD } from '../core/money.js';
import { describeInBrowser, type WatchedPage, waitForShown } from '../testing/browser.js';
import { DashboardFixture, FIXTURE_FILTERS, FIXTURE_QUERY, XSS_PROJECT } from '../testing/dashboard-fixture.js';
import { DASHBOARD_VIEWS, viewPath, viewReady } from '../testing/dashboard-views.js';
import { type ServeProcess, startServe, TOKENLEDGER_BIN } from '../testing/serve-process.js';

interface Totals {
  totals: { totalCost: number; requests: number };
}
interface Sessions {
  sessions: { sessionId: string; projectPath: string; totalCost: number; requests: number }[];
}
interface SessionDetail {
  sessionId: string;
  total_cost_usd: number;
  messageCount: number;
  topMessages: { cost_usd: number }[];
}

/** A dollar figure as the CLI's tables show it. */
const money = (usd: number): string => formatUsd(Math.round(usd * NANOS_PER_USD));

// `tokenledger serve` (the built bundle) over a fixture ledger, every view opened in Chromium with
// the fixture's filters; the figures are checked against the CLI's JSON for the same filters.
describeInBrowser('the dashboard in Chromium', (rig) => {
  let fixture: DashboardFixture;
  let serve: ServeProcess;
  beforeAll(async () => {
    fixture = await new DashboardFixture().create();
    serve = await startServe(TOKENLEDGER_BIN, ['--db', fixture.ledger.dbPath], fixture.serveEnv());
  });
  afterAll(async () => {
    await serve?.stop();
    fixture?.remove();
  });

  /** Opens `path` (with the fixture's filters) and waits until the view `name` has drawn. */
  const open = async (name: string, path: string, width = 1280): Promise<WatchedPage> => {
    const watched = await rig.page(width, 800);
    await watched.page.goto(`${serve.url}${path}${FIXTURE_QUERY}`);
    await waitForShown(watched, viewReady(name));
    return watched;
  };

  it.each(DASHBOARD_VIEWS.map((view) => [view.name, view] as const))('draws the %s view without errors', async (_name, view) => {
    const { page, errors } = await open(view.name, viewPath(view, 'sess-alpha'));
    expect(await page.locator('[data-testid="error"]').allTextContents()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows the range's total cost as the CLI's monthly JSON has it, and draws its chart", async () => {
    const monthly = await fixture.json<Totals>(['monthly']);
    const watched = await open('overview', '/');
    const { page } = watched;
    await waitForShown(watched, '[data-testid="spend-chart"][data-drawn] canvas');
    expect(await page.getByTestId('total-cost').textContent()).toBe(money(monthly.totals.totalCost));
  });

  it("lists the sessions of the CLI's session JSON, with their costs", async () => {
    const cli = await fixture.json<Sessions>(['session']);
    const { page } = await open('sessions', '/sessions');
    const rows = page.getByTestId('session-row');
    await expect.poll(() => rows.count()).toBe(cli.sessions.length);
    const shown: Record<string, string> = {};
    for (const row of await rows.all()) {
      const id = (await row.getByTestId('session-link').getAttribute('title')) as string;
      shown[id] = (await row.getByTestId('session-cost').textContent()) as string;
    }
    expect(shown).toEqual(Object.fromEntries(cli.sessions.map((s) => [s.sessionId, money(s.totalCost)])));
  });

  it("opens a session's messages, costliest first, on a click", async () => {
    const cli = await fixture.json<SessionDetail>(['session', '--session-id', 'sess-gamma']);
    const watched = await open('sessions', '/sessions');
    const { page, errors } = watched;
    await page.locator('[data-testid="session-link"][title="sess-gamma"]').click();
    await waitForShown(watched, viewReady('session'));
    expect(new URL(page.url()).pathname).toBe('/sessions/sess-gamma');
    expect(await page.getByTestId('session-total-cost').textContent()).toBe(money(cli.total_cost_usd));
    expect(await page.getByTestId('message-cost').allTextContents()).toEqual(cli.topMessages.map((m) => money(m.cost_usd)));
    expect(cli.topMessages).toHaveLength(cli.messageCount);
    expect(errors).toEqual([]);
  });

  it('shows a project folder named as markup as text, on every view that names projects', async () => {
    for (const [name, path] of [
      ['projects', '/projects'],
      ['sessions', '/sessions'],
      ['session', '/sessions/sess-gamma'],
    ] as const) {
      const { page, dialogs, errors } = await open(name, path);
      expect(await page.locator(viewReady(name)).textContent()).toContain(XSS_PROJECT);
      expect(await page.locator('img').count()).toBe(0);
      await page.waitForTimeout(100); // an onerror handler, had one been created, would have run
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    }
  });

  it('fits every view in 375 px without scrolling sideways', async () => {
    for (const view of DASHBOARD_VIEWS) {
      const { page } = await open(view.name, viewPath(view, 'sess-gamma'), 375);
      const widest = await page.evaluate<number>('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)');
      expect({ view: view.name, widest }).toEqual({ view: view.name, widest: 375 });
    }
  });

  it("answers the CLI's JSON for the same filters", async () => {
    for (const report of ['daily', 'monthly', 'session']) {
      const response = await fetch(`${serve.url}/api/v1/${report}?${new URLSearchParams(FIXTURE_FILTERS).toString()}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(await fixture.json([report]));
    }
  });
});
