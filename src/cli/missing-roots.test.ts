import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => (ledger = new FixtureLedger()));
afterEach(() => ledger.remove());

const claudeLog = (): string => fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'streaming.jsonl');

describe('an agent folder variable naming a folder that does not exist', () => {
  it('is warned about by variable and path; with nothing read and nothing kept, the exit is 2', async () => {
    const missing = join(ledger.dir, 'nonexistent');
    for (const variable of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_DATA_DIR']) {
      const r = await runCliOn(ledger, ['daily'], { env: { [variable]: missing } });
      expect(r.stderr).toContain(`warning: $${variable} names ${missing}, which does not exist; nothing is read there\n`);
      expect(r.stderr).toContain('no agent logs were found and the ledger holds no usage');
      expect(r.code).toBe(2);
    }
    const sync = await runCliOn(ledger, ['sync'], { env: { CLAUDE_CONFIG_DIR: missing } });
    expect(sync.code).toBe(2);
  });

  it('names each missing entry of a list, and reports what the others hold with exit 0', async () => {
    ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', claudeLog());
    const r = await runCliOn(ledger, ['daily', '--json'], { env: { CLAUDE_CONFIG_DIR: `${join(ledger.dir, 'claude')},/nonexistent/claude` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: $CLAUDE_CONFIG_DIR names /nonexistent/claude, which does not exist');
    expect(JSON.parse(r.stdout).daily).toHaveLength(1);
  });

  it('still reports what the ledger holds (exit 0) once the folder is gone', async () => {
    ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', claudeLog());
    expect((await runCliOn(ledger, ['sync'])).code).toBe(0);
    const r = await runCliOn(ledger, ['daily', '--json'], { env: { CLAUDE_CONFIG_DIR: '/nonexistent' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: $CLAUDE_CONFIG_DIR names /nonexistent');
    expect(JSON.parse(r.stdout).daily).toHaveLength(1);
  });

  it('says nothing of default folders that do not exist when the variables are unset', async () => {
    const r = await runCliOn(ledger, ['daily'], { env: { CLAUDE_CONFIG_DIR: undefined, CODEX_HOME: undefined, GEMINI_DATA_DIR: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});
