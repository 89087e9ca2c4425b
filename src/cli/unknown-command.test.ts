import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';
import { closestNames } from './unknown-command.js';

let ledger: FixtureLedger;
beforeEach(() => (ledger = new FixtureLedger()));
afterEach(() => ledger.remove());

describe('a first word that names no command', () => {
  it.each([
    ['dayly', 'daily'],
    ['sesion', 'session'],
    ['budgets', 'budget'],
  ])('"%s" is an unknown command with "%s" suggested, exit 2', async (typo, meant) => {
    const r = await runCliOn(ledger, [typo, 'list']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`unknown command '${typo}' (did you mean ${meant}?)`);
    expect(r.stderr).not.toContain('too many arguments');
  });

  it('suggests nothing when no command is close', async () => {
    const r = await runCliOn(ledger, ['xyzzyplugh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'xyzzyplugh'");
    expect(r.stderr).not.toContain('did you mean');
  });

  it('still runs the default command when the first word is a flag', async () => {
    const r = await runCliOn(ledger, ['--json', '--no-sync']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('daily');
  });

  it('offers every command equally near, and none for a far word', () => {
    expect(closestNames('weekli', ['daily', 'weekly', 'monthly'])).toEqual(['weekly']);
    expect(closestNames('hook', ['hook', 'hooks'])).toEqual(['hook']);
    expect(closestNames('zzz', ['daily', 'weekly'])).toEqual([]);
  });
});
