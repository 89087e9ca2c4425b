import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, fixture } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

const claudeFixture = (name: string): string => fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, name);

let ledger: FixtureLedger;
let transcript: string;
beforeEach(() => {
  ledger = new FixtureLedger();
  transcript = ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', claudeFixture('streaming.jsonl'));
});
afterEach(() => ledger.remove());

const skipClaude = (): string => ledger.write('config/tokenledger/config.json', JSON.stringify({ sync: { skip: ['Claude'] } }));

describe('sync.skip in the config', () => {
  it('leaves the agent out of sync and of every report’s sync; without it the same logs are read', async () => {
    skipClaude();
    const skipped = await runCliOn(ledger, ['sync']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(await ledger.inspector.eventCount()).toBe(0);
    const daily = await runCliOn(ledger, ['daily', '--json']);
    expect(JSON.parse(daily.stdout).daily).toEqual([]);

    ledger.write('config/tokenledger/config.json', JSON.stringify({ sync: { skip: [] } }));
    expect((await runCliOn(ledger, ['sync'])).code).toBe(0);
    expect(await ledger.inspector.eventCount()).toBeGreaterThan(0);
  });

  it('leaves the agent out of the hook’s sync', async () => {
    skipClaude();
    const payload = JSON.stringify({ session_id: 'sess-1', transcript_path: transcript, cwd: '/home/dev/app', hook_event_name: 'Stop', stop_hook_active: false });
    const r = await runCliOn(ledger, ['hook', 'stop'], { stdin: payload });
    expect(r.code, r.stderr).toBe(0);
    expect(await ledger.inspector.eventCount()).toBe(0);
  });

  it('refuses an unknown agent name, naming the known ones', async () => {
    ledger.write('config/tokenledger/config.json', JSON.stringify({ sync: { skip: ['codex', 'cursor'] } }));
    const r = await runCliOn(ledger, ['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sync.skip[1] names no agent tokenledger reads logs of ("cursor"); known: claude-code (claude');
    expect(r.stderr).toContain('codex-cli (codex');
  });
});
