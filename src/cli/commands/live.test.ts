import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const USD = 1e9;
const BIN = join(packageRoot(), 'bin', 'tokenledger');
const HAVE_TMUX = existsSync('/usr/bin/tmux') || existsSync('/usr/local/bin/tmux');

let ledger: FixtureLedger;
const socket = `tokenledger-live-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  ledger = new FixtureLedger();
  const now = Date.now();
  // Today's usage (UTC), two sessions, the costlier one first; the block is active.
  await ledger.record([
    { occurredAt: now - 60_000, costNanos: 2 * USD, inputTokens: 40_000, sessionId: 'session-costly', project: '/home/dev/shop' },
    { occurredAt: now - 120_000, costNanos: 1 * USD, outputTokens: 20_000, sessionId: 'session-cheap', project: '/home/dev/blog' },
  ]);
  expect((await runCliOn(ledger, ['budget', 'set', '$4', '--period', 'today'], { now })).code).toBe(0);
});

afterAll(() => {
  if (HAVE_TMUX) {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // No server left to kill.
    }
    // tmux leaves its socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }
  ledger.remove();
});

/** tmux on a private socket, with the fixture's agent roots, ledger and config in its environment. */
function tmux(...args: string[]): string {
  const env = { ...process.env, ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), TZ: 'UTC', NO_COLOR: '1' };
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
}

/**
 * Starts `tokenledger live` in a new 100×30 pane under a shell that prints its exit status once it ends
 * (on the normal screen, which the view must have given back by then).
 */
function startLive(name: string, extra = ''): void {
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} live ${extra}; echo EXITED:$?; sleep 60`);
}

const screen = (name: string): string => tmux('capture-pane', '-p', '-t', name);
const paneInfo = (name: string, format: string): string => tmux('display-message', '-p', '-t', name, format).trim();

/** Waits for the view to end; its exit status, as the shell printed it. */
async function exitOf(name: string): Promise<string> {
  return until(`${name} to end`, () => /EXITED:(\d+)/.exec(screen(name))?.[1]);
}

/** The pid of the view: the child of the pane's shell. */
function viewPid(name: string): number {
  const shell = paneInfo(name, '#{pane_pid}');
  return Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!HAVE_TMUX)('live (in tmux)', () => {
  it('shows today, the active block, budget bars and sessions; follows resizes; quits on q and restores the screen', async () => {
    startLive('main');
    const first = await until('the first frame', () => {
      const s = screen('main');
      return s.includes('Costliest sessions today') ? s : undefined;
    });
    const lines = first.split('\n');
    expect(lines.find((l) => l.startsWith('Today'))).toMatch(/^Today\s+\$3\.00 · 60\.0k tokens · 2 requests/);
    expect(first).toMatch(/Block\s+Anthropic \d\d:\d\d – (?:\d{4}-\d\d-\d\d )?\d\d:\d\d · \d+h \d\dm left/);
    expect(first).toMatch(/burn rate\s+\S+ tokens\/min · \$\S+\/h/);
    // $3 of $4 today: 75%, a WARNING, drawn as a bar three quarters full.
    const budget = lines.find((l) => l.includes('global today')) ?? '';
    expect(budget).toMatch(/█+░+ \$3\.00 \/ \$4\.00 {2}75% WARNING/);
    expect(lines.findIndex((l) => l.includes('session-costly'))).toBeLessThan(lines.findIndex((l) => l.includes('session-cheap')));
    expect(first).toContain('shop');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines[29]).toMatch(/q quit$/);

    tmux('resize-window', '-t', 'main', '-x', '60', '-y', '20');
    const narrow = await until('a frame 60 columns wide', () => {
      const s = screen('main').split('\n');
      return s[19]?.endsWith('q quit') && s[19].length === 60 ? s : undefined;
    });
    expect(narrow.some((l) => l.includes('global today') && l.includes('█'))).toBe(true);
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(60);

    tmux('send-keys', '-t', 'main', 'q');
    expect(await exitOf('main')).toBe('0');
    // Back on the normal screen, which the view never drew on.
    expect(screen('main')).not.toContain('tokenledger live');
  });

  it('shows usage an agent writes while it runs', async () => {
    startLive('follow');
    await until('the first frame', () => screen('follow').includes('Costliest sessions today'));
    const line = readFileSync(new URL('../../sources/claude-code/fixtures/cache-ttl.jsonl', import.meta.url), 'utf8').split('\n')[0] as string;
    const written = line.replace(/"timestamp":"[^"]+"/, `"timestamp":"${new Date().toISOString()}"`).replace(/"sessionId":"[^"]+"/, '"sessionId":"session-live"');
    const file = join(ledger.env.CLAUDE_CONFIG_DIR as string, 'projects', '-home-dev-app', 'session-live.jsonl');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${written}\n`);
    const after = await until('the new request on screen', () => {
      const s = screen('follow');
      return /^Today\s+\S+ · \S+ tokens · 3 requests/m.test(s) ? s : undefined;
    });
    expect(after).toContain('session-live');
    tmux('send-keys', '-t', 'follow', 'q');
    expect(await exitOf('follow')).toBe('0');
  });

  it('ends cleanly on SIGTERM and on Ctrl-C', async () => {
    startLive('term', '--no-sync --interval 0.5');
    await until('the first frame', () => screen('term').includes('--no-sync'));
    process.kill(viewPid('term'), 'SIGTERM');
    expect(await exitOf('term')).toBe('0');
    expect(screen('term')).not.toContain('tokenledger live');

    startLive('ctrlc');
    await until('the first frame', () => screen('ctrlc').includes('Costliest sessions today'));
    tmux('send-keys', '-t', 'ctrlc', 'C-c');
    expect(await exitOf('ctrlc')).toBe('0');
  });
});

describe('live', () => {
  it('needs a terminal: exit 2 with a clear message otherwise', async () => {
    const r = await runCliOn(ledger, ['live', '--no-sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tokenledger: the live view needs a terminal');
  });

  it('rejects a bad interval or session length', async () => {
    expect((await runCliOn(ledger, ['live', '--interval', '0'])).code).toBe(2);
    expect((await runCliOn(ledger, ['live', '--session-length', '-1'])).code).toBe(2);
  });
});
