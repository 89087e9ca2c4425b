import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatUsd, NANOS_PER_USD } from '../core/money.js';
import { describeInBrowser, waitForShown } from '../testing/browser.js';
import { DashboardFixture, FIXTURE_QUERY } from '../testing/dashboard-fixture.js';
import { viewReady } from '../testing/dashboard-views.js';
import { type ServeProcess, startServe, TOKENLEDGER_BIN } from '../testing/serve-process.js';

const money = (usd: number): string => formatUsd(Math.round(usd * NANOS_PER_USD));

// `tokenledger serve --watch` follows the fixture's Claude Code transcripts; an open page shows a
// message appended to one of them without being reloaded.
describeInBrowser('the dashboard, live', (rig) => {
  let fixture: DashboardFixture;
  let serve: ServeProcess;
  beforeAll(async () => {
    fixture = await new DashboardFixture().create();
    serve = await startServe(TOKENLEDGER_BIN, ['--db', fixture.ledger.dbPath, '--watch'], fixture.serveEnv());
  });
  afterAll(async () => {
    await serve?.stop();
    fixture?.remove();
  });

  it('shows a line appended to a watched transcript within 2 s, without a reload', async () => {
    const watched = await rig.page();
    const { page, errors } = watched;
    await page.goto(`${serve.url}/${FIXTURE_QUERY}`);
    await waitForShown(watched, viewReady('overview'));
    const total = page.getByTestId('total-cost');
    const before = await total.textContent();
    expect(before).toBe(money((await fixture.json<{ totals: { totalCost: number } }>(['monthly'])).totals.totalCost));
    // A mark on the window: gone if the page were reloaded.
    await page.evaluate('window.notReloaded = true');

    fixture.appendMessage('sess-alpha');
    const appendedAt = performance.now();
    await expect.poll(() => total.textContent(), { timeout: 2000, interval: 50 }).not.toBe(before);
    const shownMs = performance.now() - appendedAt;

    const after = await fixture.json<{ totals: { totalCost: number; requests: number } }>(['monthly']);
    expect(after.totals.requests).toBe(15);
    await expect.poll(() => total.textContent()).toBe(money(after.totals.totalCost));
    expect(await page.evaluate<boolean>('window.notReloaded === true')).toBe(true);
    expect(shownMs).toBeLessThan(2000);
    expect(errors).toEqual([]);
  });
});
