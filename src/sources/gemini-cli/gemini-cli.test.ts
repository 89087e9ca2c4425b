import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, fixture } from '../../testing/fixture-ledger.js';
import { geminiCli } from './index.js';

/** sha256('/home/dev/shop'): the folder older releases named the project by. */
const SHOP_HASH = 'e828acfc792e3bbcd2a6c6c35323cb44b7b438741c168c8ec59aefe347f193bb';
const LEGACY = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const CHAT = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const SUBAGENT = 'c0ffee12-3456-4789-abcd-ef0123456789';
const LONG = '9a8b7c6d-2e1f-4a3b-8c5d-7e6f5a4b3c2d';

/** Fixture paths, relative to `fixtures/gemini/` (a copy of `~/.gemini`). */
const LEGACY_CHAT = `tmp/${SHOP_HASH}/chats/session-2025-10-01T10-00-1a2b3c4d.json`;
const JSONL_CHAT = 'tmp/webapp/chats/session-2025-11-02T14-30-5e6f7a8b.jsonl';
const SUBAGENT_CHAT = `tmp/webapp/chats/${CHAT}/${SUBAGENT}.jsonl`;
const LONG_CHAT = 'tmp/tools/chats/session-2025-11-05T09-15-9a8b7c6d.json';

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const home = (): string => join(ledger.dir, 'gemini');
/** Copies the whole fixture `~/.gemini` (registry, hash folder, slug folders). */
const copyTree = (): void => cpSync(new URL('./fixtures/gemini/', import.meta.url), home(), { recursive: true });
const text = (relative: string): string => fixture(import.meta.url, `gemini/${relative}`);
/** Writes fixture `from` (under `fixtures/gemini/`) at `to` under the fixture ledger's `~/.gemini`. */
const put = (from: string, to = from): string => ledger.write(`gemini/${to}`, text(from));
const key = (session: string, message: string): string => `gemini-cli:${session}:${message}`;
const buckets = async (): Promise<unknown[][]> => (await ledger.events()).map((e) => [e.dedupKey, e.model, e.inputTokens, e.cacheReadTokens, e.outputTokens, e.reasoningTokens, e.costNanos]);
const projects = async (): Promise<Record<string, string>> => Object.fromEntries((await ledger.events()).map((e) => [e.sessionId, e.project]));

const LEGACY_EVENTS = [
  // flash: 1,400 × $0.30 + 15,000 × $0.03 + 210 × $2.50 per million tokens
  [key(LEGACY, '2e4f6a8c-0b1d-4e3f-a5c7-e9f1b3d5a7c9'), 'gemini-2.5-flash', 1400, 15_000, 210, 0, 1_395_000],
  // input 15,327 of which 11,526 cached, plus 7 tool-use prompt tokens: 3,808 uncached input.
  // Output 23 + 919 thoughts = 942. pro: 3,808 × $1.25 + 11,526 × $0.125 + 942 × $10 per million.
  [key(LEGACY, '6c2d8a4f-1b3e-4f5a-8c7d-9e0f1a2b3c4d'), 'gemini-2.5-pro', 3808, 11_526, 942, 919, 15_620_750],
];

describe('Gemini CLI source', () => {
  it('splits tokens into buckets: cached out of input, tool prompts into input, thoughts into output', async () => {
    put('projects.json');
    put(LEGACY_CHAT);
    const report = await ledger.sync([geminiCli]);
    expect(await buckets()).toEqual(LEGACY_EVENTS);
    expect((await ledger.events())[1]).toMatchObject({ agent: 'gemini-cli', sessionId: LEGACY, occurredAt: Date.parse('2025-10-01T10:00:32.000Z'), cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });
    expect(report.drops).toEqual([]);
    await ledger.assertSumsExact();
  });

  it('names projects by .project_root, by slug or path hash in projects.json, else by folder name', async () => {
    copyTree();
    const report = await ledger.sync([geminiCli]);
    // logs.json and .project_root are not chats.
    expect(report.filesSeen).toBe(4);
    expect(await projects()).toEqual({
      [LEGACY]: '/home/dev/shop', // hash folder: sha256 of a path in projects.json
      [CHAT]: '/home/dev/webapp', // .project_root (subagent chat included)
      [LONG]: '/srv/tools', // slug folder known to projects.json alone
    });
    expect(report.drops).toEqual([]);

    const bare = new FixtureLedger();
    try {
      cpSync(new URL('./fixtures/gemini/tmp/', import.meta.url), join(bare.dir, 'gemini', 'tmp'), { recursive: true });
      await bare.sync([geminiCli]);
      expect(Object.fromEntries((await bare.events()).map((e) => [e.sessionId, e.project]))).toEqual({ [LEGACY]: SHOP_HASH, [CHAT]: '/home/dev/webapp', [LONG]: 'tools' });
    } finally {
      bare.remove();
    }
  });

  it('reads an append-only chat: a re-appended message updates it, $set and $rewindTo count nothing', async () => {
    put('tmp/webapp/.project_root');
    put(JSONL_CHAT);
    const report = await ledger.sync([geminiCli]);
    expect(await buckets()).toEqual([
      // flash: 9,000 × $0.30 + (350 + 210) × $2.50 per million; the first copy said 40 output.
      [key(CHAT, '0f5e2b7a-3c1d-4e9f-8a6b-5d4c3b2a1f0e'), 'gemini-2.5-flash', 9000, 0, 560, 210, 4_100_000],
      // Rewound from the conversation, but already billed: 12,000 − 8,000 + 12 tool = 4,012.
      [key(CHAT, '9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d'), 'gemini-2.5-pro', 4012, 8000, 90, 0, 6_915_000],
      [key(CHAT, 'd4c3b2a1-6f5e-4d7c-9b8a-0e1f2a3b4c5d'), 'gemini-2.5-pro', 3800, 8000, 214, 64, 7_890_000],
    ]);
    expect(report.drops).toEqual([]);
    expect(report.duplicates).toBe(1);
    await ledger.assertSumsExact();
  });

  it('resumes an append-only chat from its cursor, keeping the session named by the header', async () => {
    put('tmp/webapp/.project_root');
    const lines = text(JSONL_CHAT).split('\n');
    const path = ledger.write(`gemini/${JSONL_CHAT}`, `${lines.slice(0, 3).join('\n')}\n`);
    await ledger.sync([geminiCli]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.outputTokens])).toEqual([[key(CHAT, '0f5e2b7a-3c1d-4e9f-8a6b-5d4c3b2a1f0e'), 40]]);

    appendFileSync(path, lines.slice(3).join('\n'));
    const report = await ledger.sync([geminiCli]);
    expect(report.restarted).toEqual([]);
    expect([report.inserted, report.replaced]).toEqual([2, 1]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.sessionId, e.outputTokens])).toEqual([
      [key(CHAT, '0f5e2b7a-3c1d-4e9f-8a6b-5d4c3b2a1f0e'), CHAT, 560],
      [key(CHAT, '9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d'), CHAT, 90],
      [key(CHAT, 'd4c3b2a1-6f5e-4d7c-9b8a-0e1f2a3b4c5d'), CHAT, 214],
    ]);
    await ledger.assertSumsExact();
  });

  it('attributes a subagent chat to its parent session, keyed by its own session', async () => {
    put('tmp/webapp/.project_root');
    put(SUBAGENT_CHAT);
    await ledger.sync([geminiCli]);
    expect((await ledger.events()).map((e) => [e.dedupKey, e.sessionId, e.project, e.inputTokens, e.cacheReadTokens, e.outputTokens, e.reasoningTokens, e.costNanos])).toEqual([
      // flash: (7,000 − 3,000 + 40 tool) × $0.30 + 3,000 × $0.03 + (120 + 300) × $2.50 per million
      [key(SUBAGENT, 'e2f4a6b8-c0d2-4e4f-9a6b-8c0d2e4f6a8b'), CHAT, '/home/dev/webapp', 4040, 3000, 420, 300, 2_352_000],
      [key(SUBAGENT, 'f3a5b7c9-d1e3-4f5a-8b7c-9d1e3f5a7b9c'), CHAT, '/home/dev/webapp', 1100, 6500, 80, 0, 725_000],
    ]);
  });

  it("names a hash folder by a slug folder's .project_root, whichever is read first", async () => {
    put(LEGACY_CHAT);
    put(LEGACY_CHAT, 'tmp/shop/chats/session-2025-10-01T10-00-1a2b3c4d.json');
    ledger.write('gemini/tmp/shop/.project_root', '/home/dev/shop');
    await ledger.sync([geminiCli]);
    expect(new Set((await ledger.events()).map((e) => e.project))).toEqual(new Set(['/home/dev/shop']));
  });

  it('counts a session once across its migrated copy (hash and slug folders) and its .jsonl rewrite', async () => {
    put('projects.json');
    put(LEGACY_CHAT);
    // Migration copies tmp/<hash>/ to tmp/<slug>/ and leaves the original.
    put(LEGACY_CHAT, 'tmp/shop/chats/session-2025-10-01T10-00-1a2b3c4d.json');
    ledger.write('gemini/tmp/shop/.project_root', '/home/dev/shop');
    // Resuming a .json session rewrites it as <name>.jsonl and leaves the .json behind.
    const doc = JSON.parse(text(LEGACY_CHAT)) as { messages: unknown[]; [field: string]: unknown };
    const { messages, ...header } = doc;
    const rewrite = [JSON.stringify({ ...header, kind: 'main' }), ...messages.map((m) => JSON.stringify(m))].join('\n');
    ledger.write('gemini/tmp/shop/chats/session-2025-10-01T10-00-1a2b3c4d.jsonl', `${rewrite}\n`);

    const report = await ledger.sync([geminiCli]);
    expect(report.filesSeen).toBe(3);
    expect(report.duplicates).toBe(4);
    expect(await buckets()).toEqual(LEGACY_EVENTS);
    expect((await ledger.events()).map((e) => e.project)).toEqual(['/home/dev/shop', '/home/dev/shop']);
    await ledger.assertSumsExact();
  });

  it('re-reads a rewritten .json chat and adds only its new messages', async () => {
    put(LEGACY_CHAT);
    await ledger.sync([geminiCli]);
    expect(await ledger.events()).toHaveLength(2);
    ledger.write(`gemini/${LEGACY_CHAT}`, fixture(import.meta.url, 'legacy-rewritten.json'));
    const report = await ledger.sync([geminiCli]);
    expect([report.inserted, report.replaced, report.duplicates]).toEqual([1, 0, 2]);
    expect(await buckets()).toEqual([
      LEGACY_EVENTS[0],
      LEGACY_EVENTS[1],
      // pro: 1,000 × $1.25 + 16,000 × $0.125 + (400 + 120) × $10 per million
      [key(LEGACY, 'c8a6e4f2-d0b9-4a7c-8e5f-3b1d9f7a5c3e'), 'gemini-2.5-pro', 1000, 16_000, 520, 120, 8_450_000],
    ]);
    await ledger.assertSumsExact();
  });

  it('reports a .json chat that is not valid JSON, commits nothing, and reads it again once fixed', async () => {
    const whole = text(LEGACY_CHAT);
    const path = ledger.write(`gemini/${LEGACY_CHAT}`, whole.slice(0, Math.floor(whole.length / 2)));
    const first = await ledger.sync([geminiCli]);
    expect(first.drops).toEqual([{ path, line: 0, reason: 'invalid JSON (a chat being rewritten is read again once it changes)' }]);
    expect(await ledger.events()).toEqual([]);
    expect(await ledger.read((l) => l.cursors())).toEqual(new Map());

    ledger.write(`gemini/${LEGACY_CHAT}`, whole);
    const second = await ledger.sync([geminiCli]);
    expect(second.drops).toEqual([]);
    expect(await ledger.events()).toHaveLength(2);
    expect((await ledger.sync([geminiCli])).filesRead).toBe(0);
  });

  // Fails today: src/sync/lane.ts treats any .json document that yields drops and no events as a
  // chat being rewritten, so a well-formed chat whose only reply is unusable is never committed:
  // it is read and reported again on every sync, and its drop never reaches the drops table.
  it('commits a well-formed chat whose only reply is unusable, and reports its drop once', async () => {
    const doc = JSON.parse(text(LEGACY_CHAT)) as { messages: { type: string; tokens?: { input: number } }[] };
    doc.messages = doc.messages.slice(0, 2);
    (doc.messages[1]?.tokens ?? { input: 0 }).input = -1;
    const path = ledger.write(`gemini/${LEGACY_CHAT}`, JSON.stringify(doc, null, 2));
    const first = await ledger.sync([geminiCli]);
    expect(first.drops).toEqual([{ path, line: 0, reason: 'gemini message with a token count that is negative, not a whole number or above 10^9' }]);
    expect((await ledger.read((l) => l.drops(100))).map((d) => d.reason)).toEqual(['gemini message with a token count that is negative, not a whole number or above 10^9']);
    const second = await ledger.sync([geminiCli]);
    expect([second.filesRead, second.drops]).toEqual([0, []]);
  });

  it('bills a gemini-2.5-pro request whose prompt exceeds 200k tokens wholly at the long-context tier', async () => {
    put('projects.json');
    put(LONG_CHAT);
    await ledger.sync([geminiCli]);
    expect(await buckets()).toEqual([
      // Prompt 250,000 > 200,000: 50,000 × $2.50 + 200,000 × $0.25 + 2,500 × $15 per million.
      [key(LONG, 'a0000001-0000-4000-8000-000000000001'), 'gemini-2.5-pro', 50_000, 200_000, 2500, 500, 212_500_000],
      // Prompt exactly 200,000: base rates, 50,000 × $1.25 + 150,000 × $0.125 + 100 × $10.
      [key(LONG, 'a0000002-0000-4000-8000-000000000002'), 'gemini-2.5-pro', 50_000, 150_000, 100, 0, 82_250_000],
      // 199,995 input + 10 tool-use prompt tokens = 200,005: the tier again.
      [key(LONG, 'a0000003-0000-4000-8000-000000000003'), 'gemini-2.5-pro', 50_005, 150_000, 100, 0, 164_012_500],
    ]);
  });

  it('reads every GEMINI_DATA_DIR entry', async () => {
    put(LEGACY_CHAT);
    ledger.write('other/tmp/tools/chats/session-2025-11-05T09-15-9a8b7c6d.json', text(LONG_CHAT));
    ledger.env.GEMINI_DATA_DIR = `${ledger.env.GEMINI_DATA_DIR},${join(ledger.dir, 'other', 'tmp')}`;
    await ledger.sync([geminiCli]);
    expect(await ledger.events()).toHaveLength(5);
  });
});

describe('Gemini CLI fixtures', () => {
  it('are real-shaped: chats name their session and project hash, JSONL lines are JSON objects', () => {
    for (const relative of [LEGACY_CHAT, LONG_CHAT]) {
      const doc = JSON.parse(text(relative)) as { sessionId: string; projectHash: string; messages: unknown[] };
      expect(doc.projectHash, relative).toMatch(/^[0-9a-f]{64}$/);
      expect(relative, relative).toContain(`-${doc.sessionId.slice(0, 8)}.json`);
    }
    for (const relative of [JSONL_CHAT, SUBAGENT_CHAT]) {
      for (const line of text(relative).trim().split('\n')) expect(typeof JSON.parse(line)).toBe('object');
    }
    expect(readFileSync(new URL('./fixtures/gemini/tmp/webapp/.project_root', import.meta.url), 'utf8')).toBe('/home/dev/webapp');
  });
});
