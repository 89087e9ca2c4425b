import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { bothWays, notesText, REPORT_EVENTS } from '../testing/report-answer.js';
import { DAILY_REPORT, MONTHLY_REPORT, WEEKLY_REPORT } from './period.js';

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record(REPORT_EVENTS);
});
afterEach(() => ledger.remove());

const QUERIES = [
  '',
  'since=2025-10-02&until=2025-10-09',
  'since=3d&timezone=America/New_York',
  'agent=claude&breakdown',
  'instances&order=desc',
  'last=2&project=app',
  'by=user&timezone=Asia/Tokyo',
  'agent=gemini&project=nowhere&user=bob',
  'namespace=elsewhere',
];

describe('daily, weekly and monthly answer what the CLI prints with --json', () => {
  for (const report of [DAILY_REPORT, WEEKLY_REPORT, MONTHLY_REPORT]) {
    it(`${report.name}: the same bytes and the same notes for every query`, async () => {
      for (const query of [...QUERIES, ...(report.name === 'weekly' ? ['start-of-week=sunday&order=desc'] : [])]) {
        const { cli, api } = await bothWays(ledger, report, query);
        expect(cli.code, `${query}: ${cli.stderr}`).toBe(0);
        expect(api.text, query).toBe(cli.stdout);
        expect(notesText(api), query).toBe(cli.stderr);
        expect(api.exit).toBe(0);
      }
      const everything = (await bothWays(ledger, report, '')).api.document as Record<string, unknown[]>;
      expect(Object.values(everything)[0]?.length).toBeGreaterThan(0);
    });
  }

  it('gives notes for unpriced models and filters that match nothing', async () => {
    const all = await bothWays(ledger, DAILY_REPORT, '');
    expect(all.api.notes[0]).toMatch(/^no price is known for mystery-model;.*\nAdd a price under "prices" in /);
    expect(all.cli.stderr).toMatch(/^note: no price is known for mystery-model;.*\n {6}Add a price under "prices" in /);
    const { api } = await bothWays(ledger, DAILY_REPORT, 'project=nowhere');
    expect(api.notes).toContain('no project in the ledger matches nowhere; projects: /home/dev/app, /home/dev/site');
  });
});
