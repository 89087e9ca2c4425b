import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_COST_NANOS_PER_EVENT } from '../../core/event-bounds.js';
import { packageRoot } from '../../core/package-root.js';
import { sampleTurn } from '../../hooks/sample-turn.js';
import { postgresTestLocation } from '../../ledger/engines/postgres/test-schema.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import type { CliRun } from '../../testing/run-cli.js';

const bin = join(packageRoot(), 'bin', 'tokenledger');
const streaming = join(packageRoot(), 'src', 'sources', 'claude-code', 'fixtures', 'streaming.jsonl');
const AT = Date.UTC(2025, 9, 1, 10);

let ledger: FixtureLedger;
let transcript: string;
beforeEach(() => {
  ledger = new FixtureLedger();
  transcript = ledger.copy(streaming, 'claude/projects/-home-dev-app/sess-1.jsonl');
});
afterEach(() => ledger.remove());

/** bin/tokenledger as Claude Code runs a hook: a child process, the payload on stdin. */
function run(args: string[], stdin: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: ledger.env.HOME,
        // The hook finds the transcript's root from its path, not from here.
        CLAUDE_CONFIG_DIR: join(ledger.dir, 'elsewhere'),
        TOKENLEDGER_DB: ledger.dbPath,
        XDG_CONFIG_HOME: join(ledger.dir, 'config'),
        TZ: 'UTC',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const payload = (event: string, extra: Record<string, unknown> = {}, path = transcript): string =>
  JSON.stringify({ session_id: 'sess-1', transcript_path: path, cwd: '/home/dev/app', hook_event_name: event, ...extra });
const prompt = (extra: Record<string, unknown> = {}): string => payload('UserPromptSubmit', { prompt: 'refactor main.ts', permission_mode: 'default', ...extra });
const toolUse = (): string => payload('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } });
const sessions = async (): Promise<string[]> => [...new Set((await ledger.events()).map((e) => e.sessionId))].sort();
const eventCount = async (): Promise<number> => ledger.inspector.eventCount();
const budget = (usd: string, ...rest: string[]) => run(['budget', 'set', usd, '--period', 'all', ...rest], '');

describe('hook stop', () => {
  it("records only the payload's transcript, and nothing new when run again", async () => {
    ledger.write('claude/projects/-home-dev-other/sess-2.jsonl', sampleTurn({ sessionId: 'sess-2', cwd: '/home/dev/other', turn: 1, at: AT }));
    const first = await run(['hook', 'stop'], payload('Stop', { stop_hook_active: false }));
    expect(first).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessions()).toEqual(['sess-1']);
    const rows = await ledger.events();
    expect(rows.length).toBeGreaterThan(0);

    expect(await run(['hook', 'stop'], payload('Stop'))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ledger.events()).toEqual(rows);

    appendFileSync(transcript, sampleTurn({ sessionId: 'sess-1', cwd: '/home/dev/app', turn: 7, at: AT + 60_000 }));
    expect((await run(['hook', 'stop'], payload('Stop'))).code).toBe(0);
    expect((await ledger.events()).length).toBe(rows.length + 1);
    expect(await sessions()).toEqual(['sess-1']);
  });

  it("records the session's subagent transcripts with it", async () => {
    const fixtures = join(packageRoot(), 'src', 'sources', 'claude-code', 'fixtures');
    transcript = ledger.copy(join(fixtures, 'subagent-parent.jsonl'), 'claude/projects/-home-dev-app/sess-1.jsonl');
    ledger.copy(join(fixtures, 'subagent-agent.jsonl'), 'claude/projects/-home-dev-app/sess-1/subagents/agent-a1b2c3d.jsonl');
    expect((await run(['hook', 'stop'], payload('Stop'))).code).toBe(0);
    const recorded = [...(await ledger.read((l) => l.cursors(), ledger.cliRecorder())).keys()].sort().map((path) => path.slice(ledger.dir.length));
    expect(recorded).toEqual(['/claude/projects/-home-dev-app/sess-1.jsonl', '/claude/projects/-home-dev-app/sess-1/subagents/agent-a1b2c3d.jsonl']);
    expect((await ledger.events()).some((e) => e.model === 'claude-haiku-4-5-20251001')).toBe(true);
  });

  it('warns and exits 1, never 2, on a payload it cannot use', async () => {
    for (const input of ['', 'garbage', '[1,2]', JSON.stringify({ session_id: 'sess-1' }), payload('Stop', {}, '/tmp/not-a-transcript.jsonl')]) {
      const r = await run(['hook', 'stop'], input);
      expect(r.code, input).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^tokenledger hook stop: /);
    }
    expect(await eventCount()).toBe(0);
  });

  it('records, then warns and exits 1, when given options it does not know', async () => {
    const r = await run(['hook', 'stop', '--from-a-newer-version', 'x'], payload('Stop'));
    expect([r.code, r.stderr]).toEqual([1, 'tokenledger hook stop: ignored what it does not know: --from-a-newer-version x\n']);
    expect(await sessions()).toEqual(['sess-1']);
  });

  it('warns and exits 1 on a ledger that is no ledger', async () => {
    const bad = ledger.write('broken.db', 'this is not SQLite');
    const r = await run(['hook', 'stop', '--db', bad], payload('Stop'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a SQLite database');
  });
});

describe('hook guard', () => {
  it('passes silently below the limit, recording the new usage first', async () => {
    expect((await budget('100')).code).toBe(0);
    for (const input of [prompt(), toolUse()]) expect(await run(['hook', 'guard'], input)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await sessions()).toEqual(['sess-1']);
  });

  it('warns naming a transcript that does not exist, exits 1, and still blocks at HARD_STOP', async () => {
    const missing = join(ledger.dir, 'claude/projects/-home-dev-app/gone.jsonl');
    const passed = await run(['hook', 'guard'], payload('UserPromptSubmit', {}, missing));
    expect([passed.code, passed.stdout]).toEqual([1, '']);
    expect(passed.stderr).toBe(`tokenledger hook guard: the transcript ${missing} does not exist; nothing was recorded from it\n`);
    // The check still runs on what the ledger has.
    expect((await run(['hook', 'guard'], prompt())).code).toBe(0);
    expect((await budget('0.01')).code).toBe(0);
    const blocked = await run(['hook', 'guard'], payload('PreToolUse', { tool_name: 'Bash' }, missing));
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(`the transcript ${missing} does not exist`);
    expect(blocked.stderr).toContain('tokenledger: blocked, a budget is used up (HARD_STOP)');
  });

  it('blocks with exit 2 and the reason on stderr once a budget in scope is at HARD_STOP', async () => {
    expect((await budget('0.01')).code).toBe(0);
    for (const input of [prompt(), toolUse()]) {
      const r = await run(['hook', 'guard'], input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('tokenledger: blocked, a budget is used up (HARD_STOP):\n- global all (namespace cost-tracking): $0.02 of $0.01');
      expect(r.stderr).toContain('tokenledger budget set <usd> --period all --scope global');
      expect(r.stderr).toContain('tokenledger budget remove --period all --scope global');
    }
  });

  it('checks only the budgets that speak about the event: its session, agent and project', async () => {
    await budget('0.01', '--scope', 'project:other');
    await budget('0.01', '--scope', 'session:sess-9');
    await budget('0.01', '--scope', 'agent:codex');
    expect((await run(['hook', 'guard'], prompt())).code).toBe(0);
    for (const scope of ['project:app', 'project:/home/dev/app', 'session:sess-1', 'agent:claude']) {
      await budget('0.01', '--scope', scope);
      const r = await run(['hook', 'guard'], prompt({ cwd: '/home/dev/app' }));
      expect(r.code, scope).toBe(2);
      expect(r.stderr).toContain(scope.replace('agent:claude', 'agent:claude-code'));
      await run(['budget', 'remove', '--period', 'all', '--scope', scope], '');
    }
    // After a `cd`, the project is still Claude Code's project folder.
    await budget('0.01', '--scope', 'project:/home/dev/app');
    expect((await run(['hook', 'guard'], prompt({ cwd: '/home/dev/app/src' }))).code).toBe(0);
    expect((await run(['hook', 'guard'], prompt({ cwd: '/home/dev/app/src' }), { CLAUDE_PROJECT_DIR: '/home/dev/app' })).code).toBe(2);
  });

  it('checks a user: budget against the user this machine records as (config "user")', async () => {
    const asUser = (user: string): void => {
      ledger.write('config/tokenledger/config.json', JSON.stringify({ user }));
    };
    asUser('bob@lab');
    // The session is recorded by bob (the first to record it), and bob's spend is over the budget.
    await budget('0.01', '--scope', 'user:bob@lab');
    const blocked = await run(['hook', 'guard'], prompt());
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('user:bob@lab');
    // On ada's machine the budget speaks about someone else.
    asUser('ada@lab');
    expect((await run(['hook', 'guard'], prompt())).code).toBe(0);
    await budget('0.01', '--scope', 'user:ada@lab');
    expect((await run(['hook', 'guard'], prompt())).code).toBe(0);
  });

  it('blocks at HARD_STOP when the spend passes what a 64-bit sum holds (events within the per-event bounds)', async () => {
    expect((await budget('10')).code).toBe(0);
    const days = Array.from({ length: 1_845 }, (_, i) => ({ occurredAt: AT - (i + 1) * 86_400_000, costNanos: MAX_COST_NANOS_PER_EVENT, sessionId: 'sess-1' }));
    await ledger.record(days);
    const r = await run(['hook', 'guard'], toolUse());
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('tokenledger: blocked, a budget is used up (HARD_STOP):\n- global all');
  });

  it('blocks when the spend cannot be read but a budget in scope was last seen at HARD_STOP; fails open otherwise', async () => {
    expect((await budget('0.01')).code).toBe(0);
    expect((await run(['hook', 'guard'], prompt())).code).toBe(2);
    await budget('1000', '--scope', 'session:sess-1');
    // Whole days of spend can no longer be read; the budgets and the levels they reached still can.
    const db = new Database(ledger.dbPath);
    db.exec('ALTER TABLE usage_day RENAME TO usage_day_lost');
    db.close();
    const r = await run(['hook', 'guard'], toolUse());
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(
      /^tokenledger: blocked, the budgets cannot be checked \(.*no such table: usage_day.*\) and a budget was at or near the limit when last seen:\n- global all \(namespace cost-tracking\): HARD_STOP at \$0\.02 of \$0\.01, period all\n/,
    );
    // Only levels of the budget's current period, in scope, at CRITICAL or above count.
    await run(['budget', 'remove', '--period', 'all', '--scope', 'global'], '');
    const open = await run(['hook', 'guard'], toolUse());
    expect(open.code, open.stderr).toBe(1);
    expect(open.stderr).toContain('letting this through (fail open)');
  });

  it('fails open on a corrupt ledger, a broken config or a bad payload: a warning, exit 1', async () => {
    const bad = ledger.write('broken.db', 'this is not SQLite');
    const config = ledger.write('config/tokenledger/config.json', '{"timezone": ');
    const cases: [string[], string, Record<string, string>][] = [
      [['--db', bad], prompt(), {}],
      [[], prompt(), { TOKENLEDGER_CONFIG: config }],
      [[], 'garbage', {}],
    ];
    for (const [args, input, env] of cases) {
      const r = await run(['hook', 'guard', ...args], input, env);
      expect([r.code, r.stdout], r.stderr).toEqual([1, '']);
      expect(r.stderr).toMatch(/^tokenledger hook guard: cannot check the budgets, letting this through \(fail open\): .+\n$/);
      const closed = await run(['hook', 'guard', ...args], input, { ...env, TOKENLEDGER_HOOK_FAIL_CLOSED: '1' });
      expect(closed.code).toBe(2);
      expect(closed.stderr).toContain('tokenledger: blocked, the budget guard cannot check the budgets and is set to fail closed');
    }
  });

  it('fails closed when the config says so', async () => {
    const bad = ledger.write('broken.db', 'this is not SQLite');
    ledger.write('config/tokenledger/config.json', JSON.stringify({ hooks: { failClosed: true } }));
    const r = await run(['hook', 'guard', '--db', bad], toolUse());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a SQLite database');
    // The variable overrides the config both ways.
    expect((await run(['hook', 'guard', '--db', bad], toolUse(), { TOKENLEDGER_HOOK_FAIL_CLOSED: '0' })).code).toBe(1);
  });
});

describe('hook guard on a team ledger', () => {
  it('blocks at HARD_STOP with a reason that names the server without its password', async () => {
    const { location, drop } = await postgresTestLocation();
    try {
      const url = new URL(location.url);
      url.password = 's3cret-pw';
      url.searchParams.set('schema', location.schema ?? 'public');
      const db = url.toString();
      expect((await run(['budget', 'set', '0.01', '--period', 'all', '--db', db], '')).code).toBe(0);
      const r = await run(['hook', 'guard', '--db', db], prompt());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('tokenledger: blocked, a budget is used up (HARD_STOP)');
      expect(r.stderr).toContain('--db ');
      expect(r.stderr).not.toContain('s3cret-pw');
    } finally {
      await drop();
    }
  });
});
