import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

describe('a :memory: ledger', () => {
  it('is refused, exit 2, by the commands whose point is what they keep', async () => {
    for (const args of [
      ['budget', 'set', '5', '--db', ':memory:'],
      ['budget', 'remove', '--db', ':memory:'],
      ['reprice', '--db', ':memory:'],
      ['ingest', '--db', ':memory:'],
    ]) {
      const r = await runCliOn(ledger, args, { stdin: '' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`'${args.slice(0, args[0] === 'budget' ? 2 : 1).join(' ')}' writes to the ledger, and a :memory: ledger keeps nothing once the command ends`);
    }
    // From the environment as from the flag.
    expect((await runCliOn(ledger, ['budget', 'set', '5'], { env: { TOKENLEDGER_DB: ':memory:' } })).code).toBe(2);
  });

  it('still serves a one-off report that keeps nothing', async () => {
    const r = await runCliOn(ledger, ['daily', '--db', ':memory:', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).daily).toEqual([]);
  });
});
