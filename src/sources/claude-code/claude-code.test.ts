import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, fixture } from '../../testing/fixture-ledger.js';
import { claudeCode } from './index.js';
import { ClaudeLineReader, fromObject, type ClaudeLine } from './line.js';

const SESSION_DIR = 'claude/projects/-home-dev-app';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const put = (name: string, relative = `${SESSION_DIR}/sess-1.jsonl`): string => ledger.write(relative, fixture(import.meta.url, name));
const keys = async (): Promise<string[]> => (await ledger.events()).map((e) => e.dedupKey);

describe('Claude Code source', () => {
  it('keeps one event per streamed response: the line with the largest token total', async () => {
    put('streaming.jsonl');
    const report = await ledger.sync([claudeCode]);
    const events = await ledger.events();
    expect(events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['claude-code:msg_01A:req_011A', 159],
      ['claude-code:msg_01B:req_011B', 42],
    ]);
    expect(events[0]).toMatchObject({ inputTokens: 3, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 0, cacheReadTokens: 20_000, project: '/home/dev/app', sessionId: 'sess-1' });
    // 3 × $3 + 159 × $15 + 1,000 × $3.75 + 20,000 × $0.30 per million tokens
    expect(events[0]?.costNanos).toBe(12_144_000);
    expect(report.drops).toEqual([]);
    await ledger.assertSumsExact();
  });

  it('deduplicates by message id alone when the request id is missing, and by line uuid when both are', async () => {
    put('no-request-id.jsonl');
    await ledger.sync([claudeCode]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['claude-code:line:line-without-message-id', 7],
      ['claude-code:msg_gw1', 300],
      ['claude-code:msg_gw2', 20],
    ]);
  });

  it('drops a sidechain replay of a main message under another request id, keeps new sidechain work', async () => {
    put('sidechain-replay.jsonl');
    await ledger.sync([claudeCode]);
    const events = await ledger.events();
    expect(events.map((e) => [e.dedupKey, e.cacheReadTokens, e.sidechain])).toEqual([
      ['claude-code:msg_parent:req_p1', 20, false],
      ['claude-code:msg_sub:req_s1', 8000, true],
    ]);
  });

  it('settles a replay the same way whichever file is read first, and whether in one sync or two', async () => {
    put('sidechain-replay-first.jsonl', `${SESSION_DIR}/a-replay.jsonl`);
    await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_parent2:req_btw2']);
    put('sidechain-replay-original.jsonl', `${SESSION_DIR}/b-original.jsonl`);
    await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_parent2:req_p2']);
    await ledger.assertSumsExact();

    const together = new FixtureLedger();
    try {
      together.write(`${SESSION_DIR}/b-original.jsonl`, fixture(import.meta.url, 'sidechain-replay-original.jsonl'));
      together.write(`${SESSION_DIR}/a-replay.jsonl`, fixture(import.meta.url, 'sidechain-replay-first.jsonl'));
      await together.sync([claudeCode]);
      expect((await together.events()).map((e) => e.dedupKey)).toEqual(['claude-code:msg_parent2:req_p2']);
    } finally {
      together.remove();
    }
  });

  it('counts subagent usage once, from progress lines and the subagent file, under the parent session', async () => {
    put('subagent-parent.jsonl', `${SESSION_DIR}/sess-1.jsonl`);
    put('subagent-agent.jsonl', `${SESSION_DIR}/sess-1/subagents/agent-a1b2c3d.jsonl`);
    await ledger.sync([claudeCode]);
    const events = await ledger.events();
    expect(events.map((e) => [e.dedupKey, e.model, e.sessionId, e.sidechain])).toEqual([
      ['claude-code:msg_agent1:req_agent1', 'claude-haiku-4-5-20251001', 'sess-1', true],
      ['claude-code:msg_agent2:req_agent2', 'claude-haiku-4-5-20251001', 'sess-1', true],
      ['claude-code:msg_main1:req_main1', 'claude-sonnet-4-5-20250929', 'sess-1', false],
    ]);
    // The Task tool's result repeats the subagent's usage: never counted.
    expect(events.reduce((sum, e) => sum + e.cacheReadTokens, 0)).toBe(14_000 + 14_100 + 15_000);
  });

  it('counts subagent progress lines alone (older transcripts without subagent files)', async () => {
    put('subagent-parent.jsonl');
    await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_agent1:req_agent1', 'claude-code:msg_main1:req_main1']);
  });

  it('splits cache writes into 5-minute and 1-hour buckets; without the split all are 5-minute', async () => {
    put('cache-ttl.jsonl');
    await ledger.sync([claudeCode]);
    const [split, plain] = await ledger.events();
    expect(split).toMatchObject({ cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000 });
    expect(plain).toMatchObject({ cacheWrite5mTokens: 3000, cacheWrite1hTokens: 0 });
    // One-hour writes cost $6/MTok (2× input) against $3.75 for five-minute writes.
    expect((split?.costNanos ?? 0) - (plain?.costNanos ?? 0)).toBe(2000 * (6000 - 3750));
  });

  it('skips <synthetic> messages and lines without usage, even when their text mentions usage', async () => {
    put('skipped.jsonl');
    const report = await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_real:req_real']);
    expect(report.drops).toEqual([]);
  });

  it('falls back to the session file name and the project folder when a line lacks them', async () => {
    put('no-cwd.jsonl', `${SESSION_DIR}/file-session.jsonl`);
    await ledger.sync([claudeCode]);
    expect((await ledger.events())[0]).toMatchObject({ sessionId: 'file-session', project: '-home-dev-app' });
  });

  it('reads the subagent folder of a session under the parent session id', async () => {
    put('no-cwd.jsonl', `${SESSION_DIR}/parent-7/subagents/agent-x.jsonl`);
    await ledger.sync([claudeCode]);
    expect((await ledger.events())[0]).toMatchObject({ sessionId: 'parent-7' });
  });

  it('drops malformed lines with their line number and reason, and keeps everything else', async () => {
    const path = put('malformed.jsonl');
    const report = await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_ok1:req_ok1', 'claude-code:msg_ok2:req_ok2']);
    expect(report.drops).toEqual([
      { path, line: 2, reason: 'invalid JSON' },
      { path, line: 3, reason: 'not a JSON object (truncated or corrupted line)' },
      { path, line: 4, reason: 'not a JSON object (truncated or corrupted line)' },
      { path, line: 6, reason: 'usage with a token count that is negative, not a whole number or above 10^9' },
      { path, line: 7, reason: 'missing or invalid timestamp' },
    ]);
    // Drops are recorded once; a second sync reads nothing new and reports nothing.
    expect((await ledger.sync([claudeCode])).drops).toEqual([]);
    expect(await ledger.read((l) => l.drops(100))).toHaveLength(5);
  });

  it('reads every record of a line that holds two back to back, and drops the line only when none parses', async () => {
    const [user, assistant] = fixture(import.meta.url, 'streaming.jsonl')
      .split('\n')
      .filter((l) => l.includes('"usage"') || l.includes('"user"'));
    const other = fixture(import.meta.url, 'cache-ttl.jsonl').split('\n')[0] as string;
    const summary = '{"type":"summary","summary":"Fix the bug","leafUuid":"u9"}';
    const path = ledger.write(
      `${SESSION_DIR}/sess-1.jsonl`,
      `${[`${assistant}${summary}`, `{"type":"assistant","oops":}${other}`, `${user} {"type":"assistant","message":`, '{"a":}{"b":'].join('\n')}\n`,
    );
    const report = await ledger.sync([claudeCode]);
    const expected = new FixtureLedger();
    try {
      expected.write(`${SESSION_DIR}/sess-1.jsonl`, `${assistant}\n${other}\n`);
      await expected.sync([claudeCode]);
      expect(await keys()).toEqual((await expected.events()).map((e) => e.dedupKey));
      expect(await ledger.events()).toEqual(await expected.events());
    } finally {
      expected.remove();
    }
    // Line 3 holds one complete record (without usage) and a cut one: it is not a dropped line.
    // Line 4 holds no record that parses.
    expect(report.drops).toEqual([{ path, line: 4, reason: 'not a JSON object (truncated or corrupted line)' }]);
  });

  it('drops lines stamped before 2000 or in year 9999 with the reason ingest gives, keeping the rest', async () => {
    const path = put('out-of-bounds-times.jsonl');
    const report = await ledger.sync([claudeCode]);
    expect(await keys()).toEqual(['claude-code:msg_ok:req_ok']);
    expect(report.drops).toEqual([
      { path, line: 2, reason: 'timestamp is more than a day in the future' },
      { path, line: 3, reason: 'timestamp is before 2000-01-01' },
    ]);
  });

  it('drops a line with more than 10^9 tokens in a field (2^52 would make a cost no integer can hold), keeps 10^9', async () => {
    const at = (id: string, output: number): string =>
      JSON.stringify({
        type: 'assistant',
        sessionId: 'sess-1',
        timestamp: '2025-10-08T10:00:00.000Z',
        requestId: `req_${id}`,
        message: { id: `msg_${id}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 1, output_tokens: output } },
      });
    const path = ledger.write(`${SESSION_DIR}/sess-1.jsonl`, `${at('huge', 2 ** 52)}\n${at('over', 1e9 + 1)}\n${at('max', 1e9)}\n`);
    const report = await ledger.sync([claudeCode]);
    const reason = 'usage with a token count that is negative, not a whole number or above 10^9';
    expect(report.drops).toEqual([
      { path, line: 1, reason },
      { path, line: 2, reason },
    ]);
    const [event] = await ledger.events();
    // 1 × $3 + 10^9 × $15 per million tokens.
    expect([event?.dedupKey, event?.outputTokens, event?.costNanos]).toEqual(['claude-code:msg_max:req_max', 1e9, 15_000_000_003_000]);
  });

  it('records advisor sub-inferences as their own events at the advisor model', async () => {
    put('advisor.jsonl');
    await ledger.sync([claudeCode]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.model, e.inputTokens, e.outputTokens])).toEqual([
      ['claude-code:msg_adv:req_adv', 'claude-sonnet-4-5-20250929', 6, 200],
      ['claude-code:msg_adv:req_adv:advisor:1', 'claude-opus-4-5-20251101', 12_000, 700],
    ]);
  });

  it('records usage.speed "fast" as the fast tier and prices it at the model\'s fast rates, long context included', async () => {
    put('fast-mode.jsonl');
    await ledger.sync([claudeCode]);
    const tiers = (await ledger.events()).sort((a, b) => a.occurredAt - b.occurredAt);
    expect(tiers.map((t) => [t.dedupKey, t.serviceTier ?? null, t.costNanos])).toEqual([
      // Opus 4.6 before 2026-03-13, prompt 251,000 > 200,000: long-context rates ($10/$37.5, reads $1) × 6:
      // 1,000 × $60 + 1,000 × $225 + 250,000 × $6 per million
      ['claude-code:msg_long:req_long', 'fast', 60_000_000 + 225_000_000 + 1_500_000_000],
      // Opus 4.6 fast = 6 × ($5 in, $25 out, $6.25 5m writes, $10 1h writes, $0.50 reads):
      // 10 × $30 + 500 × $150 + 1,000 × $37.50 + 2,000 × $60 + 40,000 × $3 per million
      ['claude-code:msg_fast1:req_fast1', 'fast', 300_000 + 75_000_000 + 37_500_000 + 120_000_000 + 120_000_000],
      // The same request at standard speed (service_tier "standard", no speed): a sixth of it, nothing extra.
      ['claude-code:msg_std1:req_std1', null, 50_000 + 12_500_000 + 6_250_000 + 20_000_000 + 20_000_000],
      // Opus 4.8 fast = 2 × standard: 3 × $10 + 100 × $50 + 20,000 × $1 per million
      ['claude-code:msg_fast2:req_fast2', 'fast', 30_000 + 5_000_000 + 20_000_000],
      // Sonnet 4.5 has no fast mode price: stored as fast, priced at standard (2 × $3 + 20 × $15 per million).
      ['claude-code:msg_sonnet:req_sonnet', 'fast', 6_000 + 300_000],
    ]);
    await ledger.assertSumsExact();
  });

  it('reads CLAUDE_CONFIG_DIR entries that are the projects folder itself, and several roots', async () => {
    ledger.write('second/projects/-x/s2.jsonl', fixture(import.meta.url, 'cache-ttl.jsonl'));
    put('streaming.jsonl');
    ledger.env.CLAUDE_CONFIG_DIR = `${ledger.env.CLAUDE_CONFIG_DIR}/projects, ${ledger.dir}/second`;
    await ledger.sync([claudeCode]);
    expect(await ledger.events()).toHaveLength(4);
  });

  it('reads the same lines from their bytes as JSON.parse does, for every fixture and sample line', () => {
    const lines: string[] = [];
    for (const name of readdirSync(new URL('./fixtures/', import.meta.url))) {
      lines.push(
        ...fixture(import.meta.url, name)
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
    }
    lines.push(
      '{"type":"assistant","message":{"id":"m\\"q","model":"c\\u00e9","usage":{"input_tokens":1.5,"output_tokens":2e3}},"timestamp":"2025-10-01T10:00:00+02:00"}',
      '{"type":"assistant","type":"user","message":null,"message":{"id":"x","usage":{"input_tokens":null,"cache_creation":null}}}',
      '{"a":[1,2,{"b":"}"}],"type":"progress","data":{"message":{"message":{"id":"p","model":"m","usage":{}}}}}',
      '{"type":"assistant","message":{"id":"s","usage":{"input_tokens":1,"speed":6,"service_tier":null}}}',
      '{"type":"assistant","message":{"id":"s","usage":{"input_tokens":1,"speed":"f\\u0061st","service_tier":{"x":1}}}}',
    );
    const sink = { usage: () => {}, rateLimits: () => {}, drop: () => {} };
    for (const text of lines) {
      let expected: unknown;
      try {
        expected = fromObject(JSON.parse(text) as Record<string, unknown>);
      } catch {
        expected = undefined;
      }
      const bytes = Buffer.from(text);
      let read: ClaudeLine | undefined;
      new ClaudeLineReader().each(bytes, 0, bytes.length, sink, (line) => (read ??= line));
      const normalized = read === undefined ? undefined : JSON.parse(JSON.stringify(read, (k, v: unknown) => (k === 'timestamp' && typeof v === 'number' && v > 1e11 ? new Date(v).toISOString() : v)));
      const wanted =
        expected === undefined ? undefined : JSON.parse(JSON.stringify(expected, (k, v: unknown) => (k === 'timestamp' && typeof v === 'string' && /Z$/.test(v) ? new Date(v).toISOString() : v)));
      expect(normalized, text).toEqual(wanted);
    }
  });
});

describe('Claude Code fixtures', () => {
  it('are real-shaped JSONL (every complete line is one JSON object)', () => {
    const text = readFileSync(new URL('./fixtures/streaming.jsonl', import.meta.url), 'utf8');
    for (const l of text.trim().split('\n')) expect(typeof JSON.parse(l)).toBe('object');
  });
});
