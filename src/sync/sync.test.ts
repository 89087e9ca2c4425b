import { appendFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, fixture } from '../testing/fixture-ledger.js';
import { claudeCode } from '../sources/claude-code/index.js';

const FILE = 'claude/projects/-home-dev-app/sess-1.jsonl';
const claudeFixture = (name: string): string => fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, name);
const lines = (name: string): string[] =>
  claudeFixture(name)
    .split('\n')
    .filter((l) => l !== '');

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const outputs = async (): Promise<[string, number][]> => (await ledger.events()).map((e) => [e.dedupKey, e.outputTokens]);

describe('incremental sync', () => {
  it('reads only what was appended since the last sync', async () => {
    const [first, ...rest] = lines('streaming.jsonl');
    const path = ledger.write(FILE, `${first}\n${rest[0]}\n`);
    expect((await ledger.sync([claudeCode])).inserted).toBe(1);
    appendFileSync(path, `${rest.slice(1).join('\n')}\n`);
    const second = await ledger.sync([claudeCode]);
    expect(second.filesRead).toBe(1);
    expect(second.bytesRead).toBeLessThan(claudeFixture('streaming.jsonl').length);
    expect(await outputs()).toEqual([
      ['claude-code:msg_01A:req_011A', 159],
      ['claude-code:msg_01B:req_011B', 42],
    ]);
    expect(second.replaced).toBe(1); // the streamed placeholder was replaced by the final line
    await ledger.assertSumsExact();
    const third = await ledger.sync([claudeCode]);
    expect([third.filesRead, third.inserted, third.replaced]).toEqual([0, 0, 0]);
  });

  it('counts each byte of a file once however its reading is split into batches', async () => {
    const text = claudeFixture('streaming.jsonl');
    const one = new FixtureLedger();
    try {
      one.write(FILE, text);
      ledger.write(FILE, text);
      // A batch of one event pauses the scan after each usage line; the bytes read ahead of a pause
      // are read again from there, and must not be counted twice.
      const batched = await one.sync([claudeCode], {}, 1);
      const whole = await ledger.sync([claudeCode]);
      expect([batched.bytesRead, whole.bytesRead]).toEqual([Buffer.byteLength(text), Buffer.byteLength(text)]);
    } finally {
      one.remove();
    }
  });

  it('never consumes a last line without its newline, and counts it once it is complete', async () => {
    const text = claudeFixture('cut-last-line.jsonl');
    const path = ledger.write(FILE, text);
    const first = await ledger.sync([claudeCode]);
    expect((await ledger.events()).map((e) => e.dedupKey)).toEqual(['claude-code:msg_done:req_ok1']);
    expect(first.pendingTails).toEqual([{ path, bytes: text.length - text.indexOf('\n') - 1, modifiedMs: expect.any(Number) }]);
    expect(first.drops).toEqual([]);
    // Nothing changed: the partial line is not read as a malformed line either.
    expect((await ledger.sync([claudeCode])).drops).toEqual([]);
    const full = lines('streaming.jsonl')[5] as string;
    writeFileSync(path, `${text.slice(0, text.indexOf('\n') + 1)}${full}\n`);
    await ledger.sync([claudeCode]);
    expect((await ledger.events()).map((e) => e.dedupKey)).toEqual(['claude-code:msg_01B:req_011B', 'claude-code:msg_done:req_ok1']);
  });

  it('counts the last line of a finished copy that lacks its newline, once, whatever is appended after it', async () => {
    const all = lines('streaming.jsonl');
    // A copy of a finished session: every line complete, no newline after the last one.
    const path = ledger.write(FILE, all.join('\n'));
    const first = await ledger.sync([claudeCode]);
    expect(first.pendingTails).toEqual([]);
    expect(await outputs()).toEqual([
      ['claude-code:msg_01A:req_011A', 159],
      ['claude-code:msg_01B:req_011B', 42],
    ]);
    // Its newline arrives later, then another response and a malformed line: the newline only ends
    // the line already counted, and the malformed line keeps its true line number.
    const extra = lines('cache-ttl.jsonl')[0] as string;
    appendFileSync(path, `\n${extra}\n{"type":"assistant",\n`);
    const second = await ledger.sync([claudeCode]);
    expect(second.inserted).toBe(1);
    expect(second.drops.map((d) => d.line)).toEqual([all.length + 2]);
    // A record written straight after the counted last line (no newline between) is read on its own.
    const more = (lines('cache-ttl.jsonl')[1] as string) ?? extra.replaceAll('msg_', 'msg_x');
    const path2 = ledger.write('claude/projects/-home-dev-app/sess-2.jsonl', all[0] as string);
    await ledger.sync([claudeCode]);
    appendFileSync(path2, `${more}\n`);
    await ledger.sync([claudeCode]);
    const clean = new FixtureLedger();
    try {
      clean.write(FILE, `${all.join('\n')}\n${extra}\n{"type":"assistant",\n`);
      clean.write('claude/projects/-home-dev-app/sess-2.jsonl', `${all[0]}${more}\n`);
      await clean.sync([claudeCode]);
      expect(await ledger.events()).toEqual(await clean.events());
    } finally {
      clean.remove();
    }
    await ledger.assertSumsExact();
  });

  it('leaves a last line that does not parse pending, and reads it once it is complete', async () => {
    const all = lines('streaming.jsonl');
    const last = all[all.length - 1] as string;
    const path = ledger.write(FILE, `${all.slice(0, -1).join('\n')}\n${last.slice(0, -1)}`);
    const first = await ledger.sync([claudeCode]);
    expect(first.pendingTails.map((t) => t.bytes)).toEqual([last.length - 1]);
    appendFileSync(path, '}\n');
    await ledger.sync([claudeCode]);
    expect(await outputs()).toEqual([
      ['claude-code:msg_01A:req_011A', 159],
      ['claude-code:msg_01B:req_011B', 42],
    ]);
  });

  it('re-reads a replaced, shrunk or rewritten file from the start without counting anything twice', async () => {
    const all = lines('streaming.jsonl');
    const path = ledger.write(FILE, `${all.join('\n')}\n`);
    await ledger.sync([claudeCode]);
    const before = await ledger.events();

    // Replaced: a new file (new inode) under the same name, with one more response.
    const extra = (lines('cache-ttl.jsonl')[0] as string).replace('sess-1', 'sess-1');
    writeFileSync(`${path}.new`, `${all.join('\n')}\n${extra}\n`);
    renameSync(`${path}.new`, path);
    const replaced = await ledger.sync([claudeCode]);
    expect(replaced.restarted).toEqual([{ path, reason: 'file was replaced' }]);
    expect(await ledger.events()).toHaveLength(before.length + 1);

    // Shrunk: truncated to its first lines.
    truncateSync(path, `${all.slice(0, 2).join('\n')}\n`.length);
    expect((await ledger.sync([claudeCode])).restarted).toEqual([{ path, reason: 'file shrank' }]);
    expect(await ledger.events()).toHaveLength(before.length + 1); // the ledger keeps what it saw

    // Rewritten in place: same inode, different bytes before the cursor, then grown.
    writeFileSync(path, `${all.slice(0, 2).join('\n').replaceAll('fix the bug', 'fix the bag')}\n${all.slice(2).join('\n')}\n`);
    expect((await ledger.sync([claudeCode])).restarted).toEqual([{ path, reason: 'file was rewritten' }]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.outputTokens])).toEqual(
      [...before.map((e): [string, number] => [e.dedupKey, e.outputTokens]), ['claude-code:msg_ttl1:req_t1', 100]].sort(),
    );
    await ledger.assertSumsExact();
  });

  it('keeps events whose log file was deleted', async () => {
    const path = ledger.write(FILE, claudeFixture('streaming.jsonl'));
    await ledger.sync([claudeCode]);
    rmSync(path);
    await ledger.sync([claudeCode]);
    expect(await ledger.events()).toHaveLength(2);
  });
});

describe('transactions', () => {
  it('gives the same ledger whatever the number of events per transaction', async () => {
    const files: [string, string][] = [
      ['claude/projects/-a/sess-1.jsonl', claudeFixture('streaming.jsonl')],
      ['claude/projects/-a/sess-1/subagents/agent-a1b2c3d.jsonl', claudeFixture('subagent-agent.jsonl')],
      ['claude/projects/-a/sess-2.jsonl', claudeFixture('subagent-parent.jsonl')],
      ['claude/projects/-a/sess-3.jsonl', claudeFixture('sidechain-replay.jsonl')],
      ['claude/projects/-b/x.jsonl', claudeFixture('sidechain-replay-first.jsonl')],
      ['claude/projects/-c/y.jsonl', claudeFixture('sidechain-replay-original.jsonl')],
      ['claude/projects/-c/z.jsonl', claudeFixture('cache-ttl.jsonl')],
    ];
    const results: unknown[] = [];
    for (const batch of [1, 2, 3, 1000]) {
      const l = new FixtureLedger();
      try {
        for (const [rel, text] of files) l.write(rel, text);
        await l.sync([claudeCode], {}, batch);
        await l.assertSumsExact();
        results.push((await l.events()).map(({ dedupKey, sessionId, outputTokens, cacheReadTokens, costNanos }) => ({ dedupKey, sessionId, outputTokens, cacheReadTokens, costNanos })));
      } finally {
        l.remove();
      }
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});
