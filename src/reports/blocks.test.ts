import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { answerOn, bothWays, notesText, REPORT_EVENTS } from '../testing/report-answer.js';
import { BLOCKS_REPORT } from './blocks.js';

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record(REPORT_EVENTS);
});
afterEach(() => ledger.remove());

describe('blocks answers what the CLI prints with --json', () => {
  it('the same bytes and notes for every query', async () => {
    for (const query of [
      '',
      'active',
      'recent&token-limit=max',
      'token-limit=100000&provider=anthropic',
      'agent=codex&session-length=2.5',
      'timezone=Asia/Kolkata&user=nobody',
      'namespace=elsewhere',
    ]) {
      const { cli, api } = await bothWays(ledger, BLOCKS_REPORT, query);
      expect(cli.code, `${query}: ${cli.stderr}`).toBe(0);
      expect(api.text, query).toBe(cli.stdout);
      expect(notesText(api), query).toBe(cli.stderr);
    }
  });

  it('shows the block active at the time of the request', async () => {
    const { document } = await answerOn(ledger, BLOCKS_REPORT, 'active');
    expect(document).toMatchObject({ now: '2025-10-10T12:00:00.000Z', blocks: [{ provider: 'anthropic', isActive: true, requests: 2 }] });
  });
});
