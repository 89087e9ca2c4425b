import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
  ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'streaming.jsonl'));
});
afterEach(() => ledger.remove());

const cli = (args: string[]) => runCliOn(ledger, args);

describe('filters that match nothing', () => {
  it('an agent with no usage gets a note naming the agents that have some', async () => {
    for (const command of ['daily', 'monthly', 'session']) {
      const r = await cli([command, '-a', 'foo', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('note: no usage of agent foo in namespace cost-tracking; agents with usage there: claude-code\n');
    }
  });

  it('a namespace with no usage gets a note naming the namespaces that have some', async () => {
    const r = await cli(['daily', '-n', 'typo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: namespace typo holds no usage; namespaces with usage: cost-tracking\n');
  });

  it('analysis commands name the namespaces with usage when theirs holds none', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    for (const command of ['summary', 'health', 'history', 'optimize']) {
      const r = await cli([command, '-n', 'typo', '--json']);
      expect(r.stderr, command).toContain('note: namespace typo holds no usage; namespaces with usage: cost-tracking\n');
    }
    expect((await cli(['summary', '--json'])).stderr).not.toContain('note:');
  });

  it('project names that match no project get a note listing the projects', async () => {
    const r = await cli(['daily', '-p', 'ap']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: no project in the ledger matches ap; projects: /home/dev/app\n');
  });

  it('filters that match say nothing', async () => {
    const r = await cli(['daily', '-a', 'claude', '-p', 'app', '-n', 'cost-tracking']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2025-10-01');
    expect(r.stderr).not.toContain('note:');
  });

  it('budget set for an agent with no usage is kept, with the note', async () => {
    expect((await cli(['sync'])).code).toBe(0);
    const r = await cli(['budget', 'set', '5', '--scope', 'agent:nosuchagent']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('scope agent:nosuchagent');
    expect(r.stderr).toBe('note: no usage of agent nosuchagent in namespace cost-tracking; agents with usage there: claude-code\n');
    const project = await cli(['budget', 'set', '5', '--scope', 'project:nosuchproject']);
    expect(project.stderr).toBe('note: no project in the ledger matches nosuchproject; projects: /home/dev/app\n');
    expect((await cli(['budget', 'set', '5', '--scope', 'agent:claude'])).stderr).toBe('');
  });

  it('blocks refuses a number as namespace, pointing at --session-length', async () => {
    const r = await cli(['blocks', '-n', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-n/--namespace names a ledger partition, got the number "5"');
    expect(r.stderr).toContain('hint: for the block length in hours, use --session-length 5');
    expect((await cli(['blocks', '-n', 'team-5', '--no-sync'])).code).toBe(0);
  });
});
