import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const cli = (args: string[]) => runCliOn(ledger, args);

describe('prices lookups', () => {
  it('refuses a provider the catalog does not know, naming the known ones', async () => {
    const r = await cli(['prices', 'claude-sonnet-4-5', '--provider', 'foo']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('--provider "foo" is not a provider the price catalog knows; known providers:');
    expect(r.stderr).toMatch(/known providers: .*anthropic, .*google, .*openai/);
    expect((await cli(['prices', 'claude-sonnet-4-5', '--provider', 'Anthropic'])).code).toBe(0);
  });

  it('suggests close model names for a name it cannot price', async () => {
    const r = await cli(['prices', 'sonnet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no price is known for "sonnet" \(did you mean [^)]*claude-[^)]*sonnet[^)]*\?\)/);
    const typo = await cli(['prices', 'claude-sonet-4-5']);
    expect(typo.stderr).toMatch(/did you mean [^)]*claude-sonnet-4-5/);
  });

  it('says that prices before the earliest known ones are not known when --at predates them', async () => {
    const r = await cli(['prices', 'gpt-5', '--at', '2020-01-01', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).validFrom).toBeNull();
    expect(r.stderr).toContain(
      'note: the catalog gives no start date for these prices of gpt-5, so they are its earliest known prices; prices before them are not known (on 2020-01-01 gpt-5 may not have existed yet',
    );
    // A price period that starts on a known day needs no note.
    expect((await cli(['prices', 'claude-opus-4-6', '--at', '2026-04-01'])).stderr).toBe('');
  });
});
