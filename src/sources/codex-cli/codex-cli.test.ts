import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitSnapshot } from '../../core/usage-event.js';
import { FixtureLedger, fixture } from '../../testing/fixture-ledger.js';
import { codexCli } from './index.js';

const BASIC = '01999c3e-5b2a-7d41-9f0e-3c8a1b2d4e5f';
const TOTALS = '01998a77-1f3e-7c20-b5d4-6e7f8a9b0c1d';
const PARENT = '0199b0c1-4a2e-7f13-9d6c-2b8e5a1f7c30';
const FORK = '0199b0d2-8c4f-7a21-b3e7-6d9f0c2a4e81';
const BROKEN = '0199a4e0-2d3c-7b6a-8f1e-9c0b7a6d5e4f';
const NAMELESS = '0198f1c2-7a3b-7c4d-8e5f-6a7b8c9d0e1f';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

/** Where Codex writes a live rollout: `sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl`. */
const live = (day: string, time: string, id: string): string => `codex/sessions/${day.replaceAll('-', '/')}/rollout-${day}T${time}-${id}.jsonl`;
const put = (name: string, relative: string): string => ledger.write(relative, fixture(import.meta.url, name));
/** Token buckets and cost of every stored event, by key. */
const buckets = async (): Promise<unknown[][]> => (await ledger.events()).map((e) => [e.dedupKey, e.model, e.inputTokens, e.cacheReadTokens, e.outputTokens, e.reasoningTokens, e.costNanos]);

const rateLimits = async (): Promise<RateLimitSnapshot[]> => ledger.inspector.rateLimits();
const at = (iso: string): number => Date.parse(iso);
const forkPathFor = (): string => live('2025-10-02', '11-30-00', FORK);

describe('Codex CLI source', () => {
  it('reads records written back to back on one line as if each had its own line', async () => {
    const text = fixture(import.meta.url, 'last-usage.jsonl');
    const lines = text.split('\n').filter((l) => l !== '');
    const joined = lines.map((l, i) => (i % 2 === 0 && i + 1 < lines.length ? l : `${l}\n`)).join('');
    ledger.write(live('2025-10-01', '09-00-00', BASIC), joined);
    const report = await ledger.sync([codexCli]);
    expect(report.drops).toEqual([]);
    const clean = new FixtureLedger();
    try {
      clean.write(live('2025-10-01', '09-00-00', BASIC), text);
      await clean.sync([codexCli]);
      expect((await buckets()).length).toBeGreaterThan(0);
      expect(await ledger.events()).toEqual(await clean.events());
    } finally {
      clean.remove();
    }
  });

  it('prices each request from last_token_usage at the model of its turn', async () => {
    put('last-usage.jsonl', live('2025-10-01', '10-00-00', BASIC));
    const report = await ledger.sync([codexCli]);
    // cached_input_tokens is part of input_tokens and reasoning part of output: input 12,000 with
    // 8,000 cached is 4,000 uncached. gpt-5-codex: 4,000 × $1.25 + 8,000 × $0.125 + 600 × $10 per
    // million tokens = $0.012. The third request ran after /model switched to gpt-5-mini
    // ($0.25 / $0.025 / $2): 4,000 × 0.25 + 16,000 × 0.025 + 300 × 2 = $0.002.
    expect(await buckets()).toEqual([
      [`codex-cli:${BASIC}:12600`, 'gpt-5-codex', 4000, 8000, 600, 200, 12_000_000],
      [`codex-cli:${BASIC}:28500`, 'gpt-5-codex', 3000, 12_000, 900, 400, 14_250_000],
      [`codex-cli:${BASIC}:48800`, 'gpt-5-mini', 4000, 16_000, 300, 0, 2_000_000],
    ]);
    expect((await ledger.events())[0]).toMatchObject({
      agent: 'codex-cli',
      sessionId: BASIC,
      project: '/home/dev/api',
      occurredAt: at('2025-10-01T10:00:05.000Z'),
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      unpriced: false,
    });
    expect(report.drops).toEqual([]);
    await ledger.assertSumsExact();
  });

  it('counts nothing for a re-emitted token_count whose total did not change', async () => {
    // Lines 10 and 11 carry the same cumulative total 10 ms apart (and a function_call_output that
    // mentions "token_count" is not a count either).
    put('last-usage.jsonl', live('2025-10-01', '10-00-00', BASIC));
    const report = await ledger.sync([codexCli]);
    expect(report.inserted).toBe(3);
    expect(report.duplicates).toBe(0);
    expect((await ledger.events()).reduce((sum, e) => sum + e.outputTokens, 0)).toBe(1800);
  });

  it('stores rate-limit readings, from info: null lines too, and an unchanged reading once', async () => {
    put('last-usage.jsonl', live('2025-10-01', '10-00-00', BASIC));
    await ledger.sync([codexCli]);
    const rows = await rateLimits();
    // Six token_count lines carry rate limits; lines 11, 14 and 22 repeat the reading before them.
    expect(rows.map((r) => [r.sessionId, r.occurredAt, r.planType, r.limitId])).toEqual([
      [BASIC, at('2025-10-01T10:00:01.000Z'), 'plus', 'codex'],
      [BASIC, at('2025-10-01T10:00:05.000Z'), 'plus', 'codex'],
      [BASIC, at('2025-10-01T10:05:10.000Z'), 'plus', 'codex'],
    ]);
    expect(rows[0]?.windows).toEqual([
      { name: 'primary', usedPercent: 5, windowMinutes: 300, resetsAt: 1_759_327_200_000 },
      { name: 'secondary', usedPercent: 1, windowMinutes: 10080, resetsAt: 1_759_831_200_000 },
    ]);
    expect(rows[2]?.windows.map((w) => w.usedPercent)).toEqual([7, 2]);
  });

  it('takes the difference of cumulative totals when last_token_usage is absent', async () => {
    put('total-only.jsonl', live('2025-09-20', '08-00-00', TOTALS));
    const report = await ledger.sync([codexCli]);
    // gpt-5: 4,000 × $1.25 + 6,000 × $0.125 + 500 × $10 per million tokens = $0.01075.
    expect(await buckets()).toEqual([
      [`codex-cli:${TOTALS}:10500`, 'gpt-5', 4000, 6000, 500, 100, 10_750_000],
      [`codex-cli:${TOTALS}:23200`, 'gpt-5', 4000, 8000, 700, 200, 13_000_000],
      [`codex-cli:${TOTALS}:42000`, 'gpt-5', 2000, 16_000, 800, 500, 12_500_000],
    ]);
    expect(report.drops).toEqual([]);
    await ledger.assertSumsExact();
  });

  it('reads running totals past 10^9 tokens, but drops one request above 10^9 in a field', async () => {
    const count = (time: string, total: Record<string, number>, last?: Record<string, number>): string =>
      JSON.stringify({
        timestamp: `2025-09-20T08:00:${time}.000Z`,
        type: 'event_msg',
        payload: { type: 'token_count', info: { total_token_usage: total, ...(last === undefined ? {} : { last_token_usage: last }) } },
      });
    const usage = (input: number, output: number) => ({ input_tokens: input, cached_input_tokens: 0, output_tokens: output, reasoning_output_tokens: 0, total_tokens: input + output });
    const head = fixture(import.meta.url, 'total-only.jsonl')
      .split('\n')
      .slice(0, 2);
    const lines = [
      ...head,
      count('10', usage(4e9, 1000), usage(2000, 1000)), // a long session's totals: its request is small
      count('20', usage(4e9 + 5000, 2000)), // the difference of totals: 4,000 + 1,000
      count('30', usage(6e9, 3000), usage(2e9, 1000)), // one request of 2 × 10^9 input tokens
    ];
    const path = ledger.write(live('2025-09-20', '08-00-00', TOTALS), `${lines.join('\n')}\n`);
    const report = await ledger.sync([codexCli]);
    expect((await ledger.events()).map((e) => [e.inputTokens + e.cacheReadTokens, e.outputTokens])).toEqual([
      [2000, 1000],
      [5000, 1000],
    ]);
    expect(report.drops).toEqual([{ path, line: 5, reason: 'token_count with one request above 10^9 tokens in a field' }]);
  });

  it('anchors resets_in_seconds to the line time, so a countdown to the same reset is one reading', async () => {
    put('total-only.jsonl', live('2025-09-20', '08-00-00', TOTALS));
    await ledger.sync([codexCli]);
    const rows = await rateLimits();
    expect(rows.map((r) => [r.occurredAt, r.planType, r.limitId])).toEqual([
      [at('2025-09-20T08:00:10.000Z'), undefined, undefined],
      [at('2025-09-20T08:02:00.000Z'), undefined, undefined],
    ]);
    expect(rows[0]?.windows).toEqual([
      { name: 'primary', usedPercent: 14, windowMinutes: 300, resetsAt: at('2025-09-20T09:00:10.000Z') },
      { name: 'secondary', usedPercent: 24, windowMinutes: 10080, resetsAt: at('2025-09-25T08:00:10.000Z') },
    ]);
    expect(rows[1]?.windows[0]).toEqual({ name: 'primary', usedPercent: 15, windowMinutes: 300, resetsAt: at('2025-09-20T09:00:10.000Z') });
  });

  it('resumes an appended rollout from its cursor: new usage counted, nothing twice', async () => {
    const lines = fixture(import.meta.url, 'total-only.jsonl').split('\n');
    const path = ledger.write(live('2025-09-20', '08-00-00', TOTALS), `${lines.slice(0, 9).join('\n')}\n`);
    await ledger.sync([codexCli]);
    expect((await ledger.events()).map((e) => e.dedupKey)).toEqual([`codex-cli:${TOTALS}:10500`, `codex-cli:${TOTALS}:23200`]);
    expect(await rateLimits()).toHaveLength(1);

    // The appended lines open with a re-emission of the last total, then one new cumulative total:
    // both need the previous total carried in the cursor's parser state.
    appendFileSync(path, lines.slice(9).join('\n'));
    const report = await ledger.sync([codexCli]);
    expect(report.restarted).toEqual([]);
    expect(report.inserted).toBe(1);
    expect(report.replaced).toBe(0);
    expect(await buckets()).toEqual([
      [`codex-cli:${TOTALS}:10500`, 'gpt-5', 4000, 6000, 500, 100, 10_750_000],
      [`codex-cli:${TOTALS}:23200`, 'gpt-5', 4000, 8000, 700, 200, 13_000_000],
      [`codex-cli:${TOTALS}:42000`, 'gpt-5', 2000, 16_000, 800, 500, 12_500_000],
    ]);
    // The carried reading makes the countdown at 08:01:50 a repeat; 08:02:00 is a new reading.
    expect((await rateLimits()).map((r) => r.occurredAt)).toEqual([at('2025-09-20T08:00:10.000Z'), at('2025-09-20T08:02:00.000Z')]);
    // Nothing new: nothing read.
    expect((await ledger.sync([codexCli])).filesRead).toBe(0);
    await ledger.assertSumsExact();
  });

  it('counts a rollout found in both sessions/ and archived_sessions/ once', async () => {
    put('last-usage.jsonl', live('2025-10-01', '10-00-00', BASIC));
    put('last-usage.jsonl', `codex/archived_sessions/rollout-2025-10-01T10-00-00-${BASIC}.jsonl`);
    const report = await ledger.sync([codexCli]);
    expect(report.filesSeen).toBe(2);
    expect(report.duplicates).toBe(3);
    expect((await buckets()).map((row) => row[0])).toEqual([`codex-cli:${BASIC}:12600`, `codex-cli:${BASIC}:28500`, `codex-cli:${BASIC}:48800`]);
    expect(await rateLimits()).toHaveLength(3);
    await ledger.assertSumsExact();
  });

  it('names a rollout without session_meta by the uuid in its file name, at the assumed model gpt-5', async () => {
    put('no-session-meta.jsonl', live('2025-09-03', '08-00-00', NAMELESS));
    await ledger.sync([codexCli]);
    expect(await ledger.events()).toMatchObject([
      { dedupKey: `codex-cli:${NAMELESS}:5250`, sessionId: NAMELESS, project: '', model: 'gpt-5', inputTokens: 5000, cacheReadTokens: 0, outputTokens: 250, reasoningTokens: 64, costNanos: 8_750_000 },
    ]);
  });

  describe('a forked rollout that opens by replaying its parent', () => {
    const parentPath = live('2025-10-02', '11-00-00', PARENT);
    const forkPath = live('2025-10-02', '11-30-00', FORK);
    const expected = [
      [`codex-cli:${PARENT}:17900`, PARENT, at('2025-10-02T11:00:40.000Z'), 2000, 7000, 500],
      [`codex-cli:${PARENT}:8400`, PARENT, at('2025-10-02T11:00:10.000Z'), 4000, 4000, 400],
      [`codex-cli:${FORK}:36500`, FORK, at('2025-10-02T11:30:15.000Z'), 2000, 16_000, 600],
    ];
    const rows = async (): Promise<unknown[][]> => (await ledger.events()).map((e) => [e.dedupKey, e.sessionId, e.occurredAt, e.inputTokens, e.cacheReadTokens, e.outputTokens]);

    it('counts the parent usage once, at the parent, when both are read together', async () => {
      put('fork-parent.jsonl', parentPath);
      put('fork-child.jsonl', forkPath);
      const report = await ledger.sync([codexCli]);
      expect(await rows()).toEqual(expected);
      expect(report.duplicates).toBe(2);
      await ledger.assertSumsExact();
    });

    it('settles the same way when the fork is read before its parent', async () => {
      put('fork-child.jsonl', forkPath);
      await ledger.sync([codexCli]);
      // Alone, the replayed prefix is still keyed in the parent session: it is the parent's usage.
      expect((await ledger.events()).map((e) => e.dedupKey)).toEqual(expected.map((row) => row[0]));
      put('fork-parent.jsonl', parentPath);
      await ledger.sync([codexCli]);
      expect(await rows()).toEqual(expected);
      await ledger.assertSumsExact();
    });
  });

  it("keys a fork's own first request in the fork when it opens without a replay", async () => {
    const child = fixture(import.meta.url, 'fork-child.jsonl').split('\n');
    // Keep session_meta and the fork's own lines; drop the replayed burst (lines 2-7).
    ledger.write(forkPathFor(), `${[child[0], ...child.slice(7)].join('\n')}`);
    await ledger.sync([codexCli]);
    expect((await ledger.events()).map((e) => e.dedupKey)).toEqual([`codex-cli:${FORK}:36500`]);
  });

  it('drops malformed lines with their line number and reason, and keeps the rest', async () => {
    const path = put('malformed.jsonl', live('2025-10-03', '09-00-00', BROKEN));
    const report = await ledger.sync([codexCli]);
    expect(report.drops).toEqual([
      { path, line: 4, reason: 'invalid JSON' },
      { path, line: 5, reason: 'not a JSON object (truncated or corrupted line)' },
      { path, line: 6, reason: 'token_count with unreadable token usage' },
      { path, line: 7, reason: 'token_count without a valid timestamp' },
    ]);
    expect(await buckets()).toEqual([
      [`codex-cli:${BROKEN}:3100`, 'gpt-5-codex', 2000, 1000, 100, 0, 3_625_000],
      [`codex-cli:${BROKEN}:7300`, 'gpt-5-codex', 2000, 2000, 200, 50, 4_750_000],
    ]);
    // Drops are recorded once; a second sync reads nothing new and reports nothing.
    expect((await ledger.sync([codexCli])).drops).toEqual([]);
    expect(await ledger.read((l) => l.drops(100))).toHaveLength(4);
  });

  it('reads every CODEX_HOME entry', async () => {
    put('last-usage.jsonl', live('2025-10-01', '10-00-00', BASIC));
    put('total-only.jsonl', `work-codex/sessions/2025/09/20/rollout-2025-09-20T08-00-00-${TOTALS}.jsonl`);
    ledger.env.CODEX_HOME = `${ledger.env.CODEX_HOME}, ${ledger.dir}/work-codex`;
    await ledger.sync([codexCli]);
    expect(await ledger.events()).toHaveLength(6);
  });
});

describe('Codex CLI fixtures', () => {
  it('open with session_meta, except the rollout that predates it', () => {
    for (const name of ['last-usage.jsonl', 'total-only.jsonl', 'fork-parent.jsonl', 'fork-child.jsonl', 'malformed.jsonl']) {
      const first = JSON.parse(fixture(import.meta.url, name).split('\n')[0] ?? '') as { type: string; payload: { id: string } };
      expect(first.type, name).toBe('session_meta');
    }
    expect(fixture(import.meta.url, 'no-session-meta.jsonl')).not.toContain('"session_meta"');
  });
});
