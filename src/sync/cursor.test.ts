import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeCode } from '../sources/claude-code/index.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';

const FILE = 'claude/projects/-p/f.jsonl';

/** One Claude Code assistant line of message `msg_<id>`; every id of one length gives lines of one length. */
const line = (id: string): string =>
  JSON.stringify({
    type: 'assistant',
    sessionId: 's',
    cwd: '/p',
    timestamp: '2026-11-01T10:00:00.000Z',
    requestId: `req_${id}`,
    uuid: `u${id}`,
    message: { id: `msg_${id}`, model: 'claude-sonnet-4-5-20250929', role: 'assistant', content: [], usage: { input_tokens: 10, output_tokens: 100 } },
  });
const file = (ids: string[]): string => ids.map((id) => `${line(id)}\n`).join('');
const range = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const keys = async (): Promise<string[]> => (await ledger.events()).map((e) => e.dedupKey);
/** A modification time well in the past, so a later write is sure to move it. */
const PAST = new Date('2026-01-01T00:00:00Z');

describe('a file rewritten in place', () => {
  it('with its size kept and a middle line changed, is read again and its new line recorded', async () => {
    const path = ledger.write(FILE, file(range('F', 10, 50)));
    utimesSync(path, PAST, PAST);
    await ledger.sync([claudeCode]);
    const size = statSync(path).size;

    writeFileSync(path, readFileSync(path, 'utf8').replace('msg_F29', 'msg_X29').replace('req_F29', 'req_X29'), { flag: 'r+' });
    expect(statSync(path).size).toBe(size);
    const report = await ledger.sync([claudeCode]);

    expect(report.restarted).toEqual([{ path, reason: 'file was rewritten in place (same size, new time)' }]);
    expect(await keys()).toContain('claude-code:msg_X29:req_X29');
    // The line that vanished keeps its event: usage once logged stays counted.
    expect(await keys()).toContain('claude-code:msg_F29:req_F29');
    expect(await keys()).toHaveLength(41);
    await ledger.assertSumsExact();
  });

  it('with its size and modification time put back, is still read again (its change time moved)', async () => {
    const path = ledger.write(FILE, file(range('E', 10, 20)));
    utimesSync(path, PAST, PAST);
    await ledger.sync([claudeCode]);
    const before = statSync(path);

    writeFileSync(path, file(range('E', 20, 30)), { flag: 'r+' });
    utimesSync(path, PAST, PAST);
    expect(statSync(path)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs, ino: before.ino });
    await ledger.sync([claudeCode]);

    expect((await keys()).filter((k) => k.startsWith('claude-code:msg_E2'))).toHaveLength(10);
  });

  it('is neither read nor hashed again while its size, times and identity are unchanged', async () => {
    ledger.write(FILE, file(range('F', 10, 20)));
    await ledger.sync([claudeCode]);
    const again = await ledger.sync([claudeCode]);
    expect([again.filesRead, again.bytesRead, again.restarted]).toEqual([0, 0, []]);
  });

  it('that grew (an agent appending) is read on from the cursor, not from the start', async () => {
    const path = ledger.write(FILE, file(range('F', 10, 20)));
    await ledger.sync([claudeCode]);
    writeFileSync(path, file(range('F', 20, 21)), { flag: 'a' });
    const report = await ledger.sync([claudeCode]);
    expect([report.restarted, report.bytesRead, report.inserted]).toEqual([[], line('F20').length + 1, 1]);
  });
});
