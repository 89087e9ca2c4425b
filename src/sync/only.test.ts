import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { claudeCode } from '../sources/claude-code/index.js';
import { codexCli } from '../sources/codex-cli/index.js';
import { geminiCli } from '../sources/gemini-cli/index.js';
import { FixtureLedger, fixture } from '../testing/fixture-ledger.js';
import { sync } from './sync.js';

const claudeLines = (name: string): string[] =>
  fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, name)
    .split('\n')
    .filter((l) => l !== '');

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

async function syncOnly(paths: string[]) {
  const db = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
  try {
    return await sync({ sources: [claudeCode, codexCli, geminiCli], namespace: 'cost-tracking', env: ledger.env, ledger: db, pricer: new Pricer(new PriceOverrides({})), only: paths });
  } finally {
    await db.close();
  }
}

describe('sync of named files', () => {
  it('reads only the files named, and only what is new in them', async () => {
    const [a, b, c] = claudeLines('cache-ttl.jsonl');
    const one = ledger.write('claude/projects/-home-dev-app/one.jsonl', `${a}\n`);
    ledger.write('claude/projects/-home-dev-app/two.jsonl', `${b}\n`);
    const first = await syncOnly([one]);
    expect([first.filesSeen, first.filesRead, first.inserted]).toEqual([1, 1, 1]);
    expect(await ledger.events()).toHaveLength(1);
    // Nothing new: nothing read.
    expect((await syncOnly([one, one])).filesRead).toBe(0);
    if (c !== undefined) {
      appendFileSync(one, `${c}\n`);
      expect((await syncOnly([one])).filesRead).toBe(1);
    }
    // The other file is still waiting for a full sync.
    expect((await ledger.sync([claudeCode])).filesRead).toBe(1);
  });

  it('ignores paths no source reads and files that have gone', async () => {
    const [a] = claudeLines('cache-ttl.jsonl');
    const stray = ledger.write('elsewhere/notes.jsonl', `${a}\n`);
    const wrongName = ledger.write('claude/projects/-home-dev-app/one.txt', `${a}\n`);
    const gone = join(ledger.dir, 'claude/projects/-home-dev-app/gone.jsonl');
    const folder = join(ledger.dir, 'claude/projects/-home-dev-app');
    const report = await syncOnly([stray, wrongName, gone, folder]);
    expect([report.filesSeen, report.filesRead, report.drops]).toEqual([1, 0, []]);
    rmSync(stray);
    expect(await ledger.events()).toEqual([]);
  });

  it('takes files in each source’s own layout (Codex sessions, Gemini chats)', async () => {
    expect(codexCli.fileAt(join(ledger.dir, 'codex'), join(ledger.dir, 'codex/sessions/2025/10/01/rollout-x.jsonl'))?.format).toBe('jsonl');
    expect(codexCli.fileAt(join(ledger.dir, 'codex'), join(ledger.dir, 'codex/archived_sessions/rollout-x.jsonl'))?.format).toBe('jsonl');
    expect(codexCli.fileAt(join(ledger.dir, 'codex'), join(ledger.dir, 'codex/log/codex-tui.jsonl'))).toBeUndefined();
    const gemini = join(ledger.dir, 'gemini/tmp');
    expect(geminiCli.fileAt(gemini, join(gemini, 'abc/chats/session-1.json'))?.format).toBe('json');
    expect(geminiCli.fileAt(gemini, join(gemini, 'abc/chats/parent/sub.jsonl'))?.format).toBe('jsonl');
    expect(geminiCli.fileAt(gemini, join(gemini, 'abc/logs.json'))).toBeUndefined();
    expect(geminiCli.fileAt(gemini, join(gemini, 'abc/chats/parent/session-2.json'))).toBeUndefined();
    const claude = join(ledger.dir, 'claude');
    expect(claudeCode.fileAt(claude, join(claude, 'projects/p/s/subagents/agent-1.jsonl'))?.format).toBe('jsonl');
    expect(claudeCode.fileAt(claude, join(claude, 'settings.json'))).toBeUndefined();
    expect(claudeCode.fileAt(join(claude, 'projects'), join(claude, 'projects/p/s.jsonl'))?.root).toBe(join(claude, 'projects'));
  });
});
