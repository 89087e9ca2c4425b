import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, fixture } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

const FILE = 'claude/projects/-home-dev-app/sess-1.jsonl';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

describe('sync and an incomplete last line', () => {
  it('says nothing of a line still being written, and names one left incomplete for over a minute', async () => {
    const text = fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'cut-last-line.jsonl');
    const path = ledger.write(FILE, text);
    const modified = statSync(path).mtimeMs;
    const fresh = await runCliOn(ledger, ['sync'], { now: modified + 5_000 });
    expect(fresh.stderr).toBe('');
    const stale = await runCliOn(ledger, ['sync'], { now: modified + 3 * 60_000 });
    expect(stale.stderr).toContain(`warning: ${path} ends in an incomplete line`);
    expect(stale.stderr).toContain('unchanged for 3 min');
    expect(stale.code).toBe(0);
  });
});
