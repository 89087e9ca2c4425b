import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { answerOn, bothWays, notesText, REPORT_EVENTS } from '../testing/report-answer.js';
import { thrown } from '../testing/thrown.js';
import { flagsFromQuery } from './query-flags.js';
import { SUMMARY_REPORT } from './summary.js';

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record(REPORT_EVENTS);
});
afterEach(() => ledger.remove());

describe('summary answers what the CLI prints with --json', () => {
  it('the same bytes and notes for every query', async () => {
    for (const query of ['', 'since=7d', 'since=2025-10-02&until=2025-10-08T00:00:00Z', 'timezone=America/Los_Angeles&machine=nowhere']) {
      const { cli, api } = await bothWays(ledger, SUMMARY_REPORT, query);
      expect(cli.code, `${query}: ${cli.stderr}`).toBe(0);
      expect(api.text, query).toBe(cli.stdout);
      expect(notesText(api), query).toBe(cli.stderr);
    }
    expect((await answerOn(ledger, SUMMARY_REPORT, '')).document).toMatchObject({ namespace: 'cost-tracking' });
  });

  it('never lets a query choose the checkout git reads', () => {
    expect(thrown(() => flagsFromQuery(SUMMARY_REPORT, 'repo=/etc')).message).toBe("unknown option '--repo'");
  });
});
