import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

const USD = 1e9;

/**
 * Makes `paths` unwritable for everyone, root included (tests run as root here, where permission
 * bits stop nothing): the immutable attribute. Returns false where the file system does not have it.
 */
function freeze(paths: string[]): boolean {
  try {
    execFileSync('chattr', ['+i', ...paths], { stdio: 'ignore' });
  } catch {
    return false;
  }
  try {
    writeFileSync(join(dirname(paths[0] as string), 'probe'), 'x');
    return false;
  } catch {
    return true;
  }
}
const thaw = (paths: string[]): void => void execFileSync('chattr', ['-i', ...paths], { stdio: 'ignore' });

let ledger: FixtureLedger;
let frozen: string[] = [];
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([{ occurredAt: Date.UTC(2025, 9, 10, 9), costNanos: 3 * USD, inputTokens: 1_000 }]);
  expect((await runCliOn(ledger, ['budget', 'set', '2', '--period', 'month'])).code).toBe(0);
});
afterEach(() => {
  if (frozen.length > 0) thaw(frozen);
  frozen = [];
  ledger.remove();
});

describe('a ledger that cannot be written here', () => {
  it('answers reports and budget checks from what it holds, refuses writes clearly, and changes nothing', async (context) => {
    const checked = await runCliOn(ledger, ['budget', 'check', '--json', '--no-sync']);
    const before = readFileSync(ledger.dbPath);
    frozen = [ledger.dbPath, dirname(ledger.dbPath)];
    if (!freeze(frozen)) {
      frozen = [];
      context.skip('this file system has no immutable attribute (chattr), so nothing here is unwritable for root');
    }
    const daily = await runCliOn(ledger, ['daily', '--json']);
    expect(daily.code, daily.stderr).toBe(0);
    expect(JSON.parse(daily.stdout).totals.totalCost).toBe(3);
    expect(daily.stderr).toContain('can only be read here');
    // The same answer as before (the budget is spent past its hard stop), from the ledger as it is.
    const check = await runCliOn(ledger, ['budget', 'check', '--json']);
    expect([check.code, JSON.parse(check.stdout)]).toEqual([checked.code, JSON.parse(checked.stdout)]);
    expect(checked.code).not.toBe(0);
    const set = await runCliOn(ledger, ['budget', 'set', '10']);
    expect(set.code).toBe(4);
    expect(set.stderr).toContain(`the ledger ${ledger.dbPath} can only be read here`);
    expect(set.stderr).not.toContain('SQLITE');
    thaw(frozen);
    frozen = [];
    expect(readFileSync(ledger.dbPath).equals(before)).toBe(true);
  });
});
