import { afterEach, beforeEach, expect, it } from 'vitest';
import { claudeCode } from '../../sources/claude-code/index.js';
import { FixtureLedger, fixture } from '../../testing/fixture-ledger.js';
import { eachEngine, type EngineCase } from './each-engine.js';

const claudeLog = (name: string): string => fixture(new URL('../../sources/claude-code/claude-code.test.ts', import.meta.url).href, name);
const SESSION_DIR = 'claude/projects/-home-dev-app';

/** Agent logs for one test. */
let logs: FixtureLedger;
beforeEach(() => {
  logs = new FixtureLedger();
});
afterEach(() => logs.remove());

const keys = async (t: EngineCase): Promise<string[]> => (await t.inspector.events()).map((e) => e.dedupKey);

// One commit per event and one for all: copies of one message meet across commits or within one.
for (const batchSize of [1, 1_000]) {
  eachEngine(`deduplication, ${batchSize === 1 ? 'an event a commit' : 'one commit'}`, (t) => {
    const sync = () => t.sync(logs.env, { sources: [claudeCode], batchSize });

    it('keeps one event per streamed response, the copy with the largest token total; reading again changes nothing', async () => {
      logs.write(`${SESSION_DIR}/sess-1.jsonl`, claudeLog('streaming.jsonl'));
      await sync();
      expect((await t.inspector.events()).map((e) => [e.dedupKey, e.outputTokens, e.costNanos])).toEqual([
        ['claude-code:msg_01A:req_011A', 159, 12_144_000],
        ['claude-code:msg_01B:req_011B', 42, expect.any(Number)],
      ]);
      const before = await t.inspector.events();
      expect((await sync()).filesRead).toBe(0);
      // Another machine reading the same file from the start counts nothing twice.
      const elsewhere = await t.open({ user: 'bob@lab', machine: 'machine-b' });
      expect((await t.sync(logs.env, { sources: [claudeCode], batchSize, ledger: elsewhere })).inserted).toBe(0);
      expect(await t.inspector.events()).toEqual(before);
      await t.assertConsistent();
    });

    it('drops a sidechain replay of a main message, keeps new sidechain work, and counts subagent usage once under the parent session', async () => {
      logs.write(`${SESSION_DIR}/replay.jsonl`, claudeLog('sidechain-replay.jsonl'));
      logs.write(`${SESSION_DIR}/sess-1.jsonl`, claudeLog('subagent-parent.jsonl'));
      logs.write(`${SESSION_DIR}/sess-1/subagents/agent-a1b2c3d.jsonl`, claudeLog('subagent-agent.jsonl'));
      await sync();
      const events = await t.inspector.events();
      expect(events.map((e) => [e.dedupKey, e.sidechain])).toEqual([
        ['claude-code:msg_agent1:req_agent1', true],
        ['claude-code:msg_agent2:req_agent2', true],
        ['claude-code:msg_main1:req_main1', false],
        ['claude-code:msg_parent:req_p1', false],
        ['claude-code:msg_sub:req_s1', true],
      ]);
      expect(events.slice(3).map((e) => e.cacheReadTokens)).toEqual([20, 8000]);
      // The Task tool's result repeats the subagent's usage: never counted.
      expect(events.slice(0, 3).reduce((sum, e) => sum + e.cacheReadTokens, 0)).toBe(14_000 + 14_100 + 15_000);
      await t.assertConsistent();
    });

    it('settles a replay the same way whichever file is read first, in one sync or two', async () => {
      logs.write(`${SESSION_DIR}/a-replay.jsonl`, claudeLog('sidechain-replay-first.jsonl'));
      await sync();
      expect(await keys(t)).toEqual(['claude-code:msg_parent2:req_btw2']);
      logs.write(`${SESSION_DIR}/b-original.jsonl`, claudeLog('sidechain-replay-original.jsonl'));
      await sync();
      expect(await keys(t)).toEqual(['claude-code:msg_parent2:req_p2']);
      await t.assertConsistent();
    });
  });
}
