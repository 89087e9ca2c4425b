import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { answerOn, bothWays, cliArgs, notesText, REPORT_EVENTS } from '../testing/report-answer.js';
import { runCliOn } from '../testing/run-cli.js';
import { SESSION_REPORT } from './session.js';

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record(REPORT_EVENTS);
});
afterEach(() => ledger.remove());

describe('session answers what the CLI prints with --json', () => {
  it('the list: the same bytes and notes for every query', async () => {
    for (const query of ['', 'order=desc&last=2', 'agent=codex&breakdown', 'since=2025-10-04&until=2025-10-09&timezone=Europe/Paris', 'project=site', 'user=nobody']) {
      const { cli, api } = await bothWays(ledger, SESSION_REPORT, query);
      expect(cli.code, `${query}: ${cli.stderr}`).toBe(0);
      expect(api.text, query).toBe(cli.stdout);
      expect(notesText(api), query).toBe(cli.stderr);
    }
    expect((await answerOn(ledger, SESSION_REPORT, '')).document).toMatchObject({ sessions: expect.any(Array) });
  });

  it('one session in detail: by id, by prefix, the latest, with --top and --since', async () => {
    for (const query of ['session-id=session-1', 'session-id=session-3&agent=codex', 'latest', 'latest&top=1', 'session-id=session-1&since=2025-10-05&timezone=UTC']) {
      const { cli, api } = await bothWays(ledger, SESSION_REPORT, query);
      expect(cli.code, `${query}: ${cli.stderr}`).toBe(0);
      expect(api.text, query).toBe(cli.stdout);
      expect(notesText(api), query).toBe(cli.stderr);
    }
    expect((await answerOn(ledger, SESSION_REPORT, 'latest')).document).toMatchObject({ sessionId: 'session-1', messageCount: 5 });
  });

  it('refuses what the CLI refuses, with its message', async () => {
    for (const query of ['session-id=session', 'session-id=nope', 'latest&session-id=session-1', 'top=0&latest']) {
      const cli = await runCliOn(ledger, cliArgs(SESSION_REPORT, query));
      expect(cli.code).toBe(2);
      const error = await answerOn(ledger, SESSION_REPORT, query).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenledgerError);
      expect(cli.stderr).toContain(`tokenledger: ${(error as TokenledgerError).message}\n`);
    }
  });
});
