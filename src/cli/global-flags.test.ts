import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
  ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'streaming.jsonl'));
});
afterEach(() => ledger.remove());

describe('global flags', () => {
  it('--no-color turns colour off as NO_COLOR does, before or after the command', async () => {
    const coloured = await runCliOn(ledger, ['daily'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    for (const args of [['--no-color'], ['daily', '--no-color'], ['--no-color', 'session']]) {
      const r = await runCliOn(ledger, args, { env: { FORCE_COLOR: '1' } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('2025-10-01');
      expect(r.stdout).not.toContain('\u001b[');
    }
  });

  it('the main --help lists --no-color and the default command with its flags', async () => {
    const r = await runCliOn(ledger, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--no-color');
    expect(r.stdout).toContain('Without a command, tokenledger runs `daily`');
    expect(r.stdout).toContain('tokenledger daily --help');
    for (const flag of ['--since <when>', '--agent <names>', '--breakdown', '--instances', '--no-sync']) expect(r.stdout).toContain(flag);
  });
});
