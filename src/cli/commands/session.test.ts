import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const SESSION = 'a\u001b]0;pwned\u0007\u001b[31mred\rCR\u202e';
const MODEL = 'm\u001b[5mblink\t\u2066';

/** One Claude Code assistant line whose session id and model carry terminal escapes. */
function hostileLine(): string {
  return JSON.stringify({
    type: 'assistant',
    sessionId: SESSION,
    cwd: '/p/\u001b[2Jproject',
    timestamp: '2025-10-10T10:00:00.000Z',
    requestId: 'req_1',
    uuid: 'u1',
    isSidechain: false,
    message: { id: 'msg_1', model: MODEL, role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 500 } },
  });
}

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
  ledger.write('claude/projects/-p/a.jsonl', `${hostileLine()}\n`);
});
afterEach(() => ledger.remove());

describe('session', () => {
  it('shows control characters from logs escaped in the table and the price note, never raw', async () => {
    for (const format of [[]]) {
      const r = await runCliOn(ledger, ['session', ...format], { env: { NO_COLOR: '1' } });
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stderr).not.toMatch(RAW);
      expect(r.stdout).toContain('a\\x1b]0;pwned\\x07\\x1b[31mred\\x0dCR\\u202e');
      expect(r.stdout).toContain('m\\x1b[5mblink\\x09\\u2066');
      expect(r.stderr).toContain('note: no price is known for m\\x1b[5mblink\\x09\\u2066;');
    }
  });
});
