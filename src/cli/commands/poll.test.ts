import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

// A private tmux server: its own socket folder and name, no user config.
const SOCKET = `tokenledger-test-${process.pid}`;
const tmuxDir = mkdtempSync(join(tmpdir(), 'tokenledger-tmux-'));
const files = mkdtempSync(join(tmpdir(), 'tokenledger-pane-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMUX_TMPDIR: tmuxDir };
const ledgers: FixtureLedger[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });
}

async function until(what: string, test: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function newPane(session: string): Promise<void> {
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '20', "env PS1='$ ' sh");
  return until(`the prompt of ${session}`, () => tmux('capture-pane', '-p', '-t', session).includes('$'));
}

let commands = 0;
/** Runs a shell command in the pane and waits until it has finished. */
async function inPane(session: string, command: string): Promise<void> {
  const done = `DONE-${++commands}`;
  tmux('send-keys', '-t', session, '-l', `${command}; echo ${done}`);
  tmux('send-keys', '-t', session, 'Enter');
  await until(done, () =>
    tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session)
      .split('\n')
      .some((l) => l.trimEnd() === done),
  );
}

/** A file of lines to `cat` in the pane (typing usage lines would echo them in the command too). */
function lines(name: string, ...text: string[]): string {
  const path = join(files, name);
  writeFileSync(path, `${text.join('\n')}\n`);
  return path;
}

function fixture(): FixtureLedger {
  const ledger = new FixtureLedger();
  ledgers.push(ledger);
  return ledger;
}

const poll = (ledger: FixtureLedger, target: string, ...more: string[]) => runCliOn(ledger, ['poll', '--tmux-target', target, '--tmux-socket', SOCKET, '--once', ...more], { env });
const counts = async (ledger: FixtureLedger) => (await ledger.events()).map((e) => `${e.inputTokens}/${e.outputTokens}`).sort();

beforeAll(() => {
  tmux('start-server', ';', 'set-option', '-g', 'exit-empty', 'off');
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  for (const l of ledgers) l.remove();
  rmSync(tmuxDir, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('poll --tmux-target', () => {
  it('records each usage line once: repeats, scrolling past the pane, restarts', async () => {
    const ledger = fixture();
    await newPane('t');
    const first = lines('first.txt', 'working…', 'Token count: 100 input, 10 output', 'Token count: 100 input, 10 output');
    await inPane('t', `cat ${first}`);
    const run = await poll(ledger, 't', '--tool', 'gemini', '--project', '/work/app');
    expect(run.stderr).toContain('recorded as gemini-2.5-pro');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/t:0\.0 \(%\d+\): \d+ new line\(s\), 2 usage line\(s\): 2 recorded, 0 already recorded, 0 dropped\./);
    expect(await counts(ledger)).toEqual(['100/10', '100/10']);

    expect((await poll(ledger, 't')).stdout).toContain('0 new line(s), 0 usage line(s)');
    await inPane('t', `cat ${first}`);
    await poll(ledger, 't');
    expect(await counts(ledger)).toHaveLength(4);

    // Forty lines scroll the first outputs out of the 20-line pane (into the history).
    await inPane('t', `seq 1 40; cat ${lines('second.txt', 'Token count: 200 input, 20 output')}`);
    await poll(ledger, 't');
    await poll(ledger, 't');
    expect(await counts(ledger)).toEqual(['100/10', '100/10', '100/10', '100/10', '200/20']);
    const rows = await ledger.events();
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(1);
    expect(rows[0]).toMatchObject({ agent: 'gemini-text', model: 'gemini-2.5-pro' });
    expect(readdirSync(dirname(ledger.dbPath)).filter((f) => f.startsWith(`${basename(ledger.dbPath)}-poll-`))).toHaveLength(1);
  });

  it('keeps counting right when the history is trimmed between captures', async () => {
    const ledger = fixture();
    tmux('set-option', '-g', 'history-limit', '50');
    await newPane('h');
    tmux('set-option', '-g', 'history-limit', '2000');
    const usage = lines('third.txt', 'MiniMax usage: 300 input tokens, 30 output tokens (MiniMax-M2)');
    for (let i = 0; i < 5; i++) {
      await inPane('h', `seq 1 25; cat ${usage}`);
      await poll(ledger, 'h');
    }
    expect(await counts(ledger)).toEqual(Array(5).fill('300/30'));
    expect((await ledger.events())[0]).toMatchObject({ agent: 'minimax-text', model: 'MiniMax-M2' });
  });

  it('drops lines that look like usage but cannot be read, naming the line (exit 3)', async () => {
    const ledger = fixture();
    await newPane('b');
    await inPane('b', `cat ${lines('bad.txt', 'Tokens used: 12 prompt + 3 completion (gpt-4o)', 'Tokens used: 1,2 prompt + 3 completion')}`);
    const run = await poll(ledger, 'b');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/dropped tmux b:0\.0 line:\d+: "1,2" before "prompt" is not a whole token count/);
    expect(await counts(ledger)).toEqual(['12/3']);
  });

  it('names the models it recorded without a price', async () => {
    const ledger = fixture();
    await newPane('u');
    await inPane('u', `cat ${lines('unpriced.txt', 'Tokens used: 7 prompt + 3 completion', 'Tokens used: 12 prompt + 3 completion (gpt-4o)')}`);
    const run = await poll(ledger, 'u', '--tool', 'openai');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no price is known for openai-unknown;');
    expect(await counts(ledger)).toEqual(['12/3', '7/3']);
  });

  it('refuses a target that names no pane (exit 2) and says when tmux is missing (exit 4)', async () => {
    const ledger = fixture();
    const missing = await poll(ledger, 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no tmux pane "nope"');
    const noTmux = await runCliOn(ledger, ['poll', '--tmux-target', 't', '--once'], { env: { PATH: join(files, 'no-bin') } });
    expect(noTmux.code).toBe(4);
    expect(noTmux.stderr).toContain('tmux is not installed or not on PATH');
    expect((await runCliOn(ledger, ['poll', '--once'], { env })).code).toBe(2);
    expect((await runCliOn(ledger, ['poll', '--tmux-target', 't', '--interval', '5ms'], { env })).code).toBe(2);
  });

  it('polls until SIGTERM (exit 0), and stops with exit 4 when the pane goes away', async () => {
    const ledger = fixture();
    await newPane('loop');
    const childEnv = { ...process.env, ...env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), TZ: 'UTC' };
    const start = (session: string) => {
      const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'tokenledger'), 'poll', '--tmux-target', session, '--tmux-socket', SOCKET, '--interval', '100ms'], { env: childEnv });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, exit, stderr: () => stderr };
    };
    const looping = start('loop');
    await inPane('loop', `cat ${lines('loop.txt', 'Token count: 7 input, 1 output')}`);
    await until('the loop to record', async () => (await counts(ledger)).length === 1);
    looping.child.kill('SIGTERM');
    expect(await looping.exit).toBe(0);

    await newPane('gone');
    const leaving = start('gone');
    await until('the first capture', () => readdirSync(dirname(ledger.dbPath)).filter((f) => f.includes('-poll-')).length === 2);
    tmux('kill-session', '-t', 'gone');
    expect(await leaving.exit).toBe(4);
    expect(leaving.stderr()).toMatch(/tmux pane %\d+ \(gone:0\.0\) is gone; stopped polling/);
    expect(await counts(ledger)).toEqual(['7/1']);
  });
});
