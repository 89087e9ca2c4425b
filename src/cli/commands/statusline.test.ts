import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { sampleTurn } from '../../hooks/sample-turn.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const H = 3_600_000;
const M = 60_000;
const USD = 1e9;
/** 11:00 UTC. */
const NOW = Date.UTC(2025, 9, 10, 11);
const BIN = join(packageRoot(), 'bin', 'tokenledger');

let ledger: FixtureLedger;
let transcript: string;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    // Yesterday: not today, not in the block.
    { occurredAt: NOW - 24 * H, costNanos: 5 * USD, inputTokens: 1_000, sessionId: 'old' },
    // Claude's block from 09:00: $3 so far over 2 hours.
    { occurredAt: NOW - 2 * H + 10 * M, costNanos: 2 * USD, inputTokens: 40_000, sessionId: 'sess-1' },
    { occurredAt: NOW - 20 * M, costNanos: 1 * USD, outputTokens: 20_000, sessionId: 'other' },
    // Codex today: in today's cost, never in Claude's block.
    { occurredAt: NOW - 10 * M, costNanos: 4 * USD, outputTokens: 10, model: 'gpt-5', provider: 'openai', agent: 'codex-cli', sessionId: 'codex-1' },
  ]);
  transcript = ledger.write('claude/projects/-home-dev-app/sess-2.jsonl', sampleTurn({ sessionId: 'sess-2', cwd: '/home/dev/app', turn: 1, at: NOW - 5 * M }));
});
afterEach(() => ledger.remove());

const payload = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    session_id: 'sess-1',
    transcript_path: transcript,
    cwd: '/home/dev/app',
    model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
    workspace: { current_dir: '/home/dev/app', project_dir: '/home/dev/app' },
    cost: { total_cost_usd: 0.5 },
    ...extra,
  });
const run = (stdin: string, args: string[] = [], env: Record<string, string> = {}) => runCliOn(ledger, ['statusline', ...args], { now: NOW, stdin, env: { NO_COLOR: '1', ...env } });

describe('statusline', () => {
  it("shows the plan month's API-equivalent cost against the Anthropic plan in the config", async () => {
    ledger.write('config/tokenledger/config.json', JSON.stringify({ plans: [{ provider: 'anthropic', plan: 'Pro' }] }));
    const r = await run(payload(), ['--format', '{model} · {plan}']);
    expect(r.code).toBe(0);
    // October from the 1st: $5 yesterday, $3 in the block and the recorded turn, all Claude, on a $20 plan.
    expect(r.stdout).toMatch(/^Sonnet 4\.5 · plan \$8\.\d\d = 0\.4x\n$/);
  });

  it("prints one line: model, the session's, today's and the Claude block's cost with time left, burn rate, context and limits", async () => {
    const r = await run(
      payload({
        context_window: { used_percentage: 42, context_window_size: 200_000, current_usage: { input_tokens: 4_000, cache_read_input_tokens: 80_000 } },
        rate_limits: { five_hour: { used_percentage: 61.6, resets_at: (NOW + 2 * H) / 1000 }, seven_day: { used_percentage: 12, resets_at: new Date(NOW + 3 * 24 * H).toISOString() } },
      }),
    );
    expect(r.code).toBe(0);
    // The block: $3.00 over 2 hours, $1.50/h, 3 hours left; today adds Codex's $4 (and the new turn of sess-2).
    expect(r.stdout).toMatch(/^Sonnet 4\.5 · \$2\.00 session · \$7\.\d\d today · block \$3\.\d\d, 3h 00m left · \$1\.\d\d\/h · ctx 42% \(84k\/200k\) · 5h 62% ↻13:00 · 7d 12% ↻2025-10-13 11:00\n$/);
    expect(r.stdout.split('\n')).toHaveLength(2);
  });

  it("records the payload's transcript first (only it), as hook stop does", async () => {
    ledger.write('claude/projects/-home-dev-other/sess-3.jsonl', sampleTurn({ sessionId: 'sess-3', cwd: '/home/dev/other', turn: 1, at: NOW - 5 * M }));
    const first = await run(payload({ session_id: 'sess-2' }));
    expect(first.stdout).toMatch(/^Sonnet 4\.5 · \$0\.\d\d session · /);
    const db = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
    const sessions = async (id: string) => (await db.spend({ namespace: 'cost-tracking', scope: { kind: 'session', value: id } })).sessions;
    expect([await sessions('sess-2'), await sessions('sess-3')]).toEqual([1, 0]);
    const before = (await db.spend({ namespace: 'cost-tracking', scope: { kind: 'session', value: 'sess-2' } })).costNanos;
    appendFileSync(transcript, sampleTurn({ sessionId: 'sess-2', cwd: '/home/dev/app', turn: 2, at: NOW - 2 * M }));
    await run(payload({ session_id: 'sess-2' }));
    expect((await db.spend({ namespace: 'cost-tracking', scope: { kind: 'session', value: 'sess-2' } })).costNanos).toBeGreaterThan(before);
    await db.close();
  });

  it('shows Claude Code\u2019s estimate, marked, for a session the ledger does not have yet; no block part without a block', async () => {
    const r = await runCliOn(ledger, ['statusline'], {
      now: NOW + 6 * H,
      stdin: payload({ session_id: 'new', transcript_path: join(ledger.dir, 'claude/projects/x/new.jsonl') }),
      env: { NO_COLOR: '1' },
    });
    expect(r.stdout).toBe('Sonnet 4.5 · ~$0.50 session · $7.00 today\n');
  });

  it('neutralises text from the payload, and colours limits only without NO_COLOR', async () => {
    const hostile = payload({ model: { display_name: 'evil\u001b]0;pwned\u0007\u001b[2J' }, rate_limits: { five_hour: { used_percentage: 95 } } });
    const plain = await run(hostile);
    // eslint-disable-next-line no-control-regex
    expect(plain.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(plain.stdout).toMatch(/^evil\\x1b\]0;pwned\\x07\\x1b\[2J · /);
    expect(plain.stdout).toContain('5h 95%');
    const coloured = await runCliOn(ledger, ['statusline'], { now: NOW, stdin: hostile, env: { NO_COLOR: undefined } });
    expect(coloured.stdout).toContain('5h \u001b[31m95%\u001b[39m');
  });

  it('--format takes named fields and optional parts; a bad template is refused with the fields listed', async () => {
    const r = await run(payload({ transcript_path: undefined }), ['--format', '[{{{model}}}] {block} left {left}[ ctx {context}] plan:{plan}.']);
    expect(r.stdout).toBe('{Sonnet 4.5} $3.00 left 3h 00m plan:.\n');
    const bad = await run(payload(), ['--format', '{modle}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown field {modle} (fields: {model}, {session}, {today}, {block}, {left}, {burn}, {projected}, {context}, {limits}, {plan})');
  });

  it('prints a short fallback line and exits 0 when the ledger is broken, or the payload is no JSON', async () => {
    writeFileSync(join(ledger.dir, 'broken.db'), 'this is no database, only text that happens to be long enough'.repeat(100));
    const broken = await run(payload(), [], { TOKENLEDGER_DB: join(ledger.dir, 'broken.db') });
    expect([broken.code, broken.stdout]).toEqual([0, 'Sonnet 4.5 · tokenledger: ledger unavailable (run tokenledger detect)\n']);
    const garbage = await run('not json');
    expect([garbage.code, garbage.stdout]).toEqual([0, 'tokenledger: ledger unavailable (run tokenledger detect)\n']);
  });

  it('answers with the figures recorded so far when another writer holds the ledger', async () => {
    const holder = new Database(ledger.dbPath);
    holder.pragma('journal_mode = WAL');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = await run(payload({ session_id: 'sess-2' }));
      expect(r.code).toBe(0);
      // The new turn could not be recorded: Claude Code's estimate stands in for the session.
      expect(r.stdout).toMatch(/^Sonnet 4\.5 · ~\$0\.50 session · \$7\.00 today · block \$3\.00, 3h 00m left/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('leaves no process behind when called 50 times at once', async () => {
    const input = payload({ session_id: 'sess-2' });
    const env = { ...process.env, ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), NO_COLOR: '1' };
    const runs = Array.from(
      { length: 50 },
      () =>
        new Promise<{ pid: number; code: number | null; stdout: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, 'statusline'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
          let stdout = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.on('error', reject);
          child.on('close', (code) => resolve({ pid: child.pid as number, code, stdout }));
          child.stdin.end(input);
        }),
    );
    const done = await Promise.all(runs);
    expect(done.map((d) => d.code)).toEqual(done.map(() => 0));
    for (const d of done) expect(d.stdout).toMatch(/^Sonnet 4\.5 · .+\n$/);
    const alive = done.filter((d) => {
      try {
        process.kill(d.pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
