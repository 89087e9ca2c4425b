import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transcriptLines } from '../src/watch/sample-lines.js';
import { bigLedger } from './big-ledger.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';

const APPENDS = 1000;
const IDLE_MS = 10_000;
const TICKS_PER_SECOND = 100;

/** A running `tokenledger watch` and what it has said on stderr. */
interface Watching {
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

async function startWatch(ctx: BenchContext, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Watching> {
  const child = spawn(process.execPath, [ctx.bin, 'watch', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(() => stderr.includes('following') || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`watch exited with ${child.exitCode}: ${stderr}`);
  return {
    child,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`bench watch: condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** utime + stime of a process, in clock ticks. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** CPU share and RSS of `pid` over `ms` of doing nothing. */
async function idle(pid: number, ms: number): Promise<{ cpuPct: number; rss: number }> {
  const before = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, ms));
  const ticks = cpuTicks(pid) - before;
  return { cpuPct: (ticks / TICKS_PER_SECOND / (ms / 1000)) * 100, rss: rssMb(pid) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Waits until the ledger holds `n` events. The ledger's write-ahead log is watched, so the check
 * runs right after each commit rather than on a busy poll; a 5 ms poll backs it up.
 */
function eventCounter(dbPath: string, before: number): { waitFor(n: number): Promise<void>; close(): void } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  // Only rows after `before` (the last id before the bench) are counted: cheap on a million events too.
  const added = db.prepare('SELECT count(*) AS n FROM events WHERE id > ?');
  const count = { get: () => added.get(before) };
  let wake: (() => void) | undefined;
  const watcher = watch(join(dbPath, '..'), () => wake?.());
  return {
    async waitFor(n) {
      const deadline = performance.now() + 10_000;
      while ((count.get() as { n: number }).n < n) {
        if (performance.now() > deadline) throw new Error(`bench watch: event ${n} not recorded within 10 s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    },
    close() {
      watcher.close();
      db.close();
    },
  };
}

function lastEventId(ledger: string): number {
  if (!existsSync(ledger)) return 0;
  const db = new Database(ledger, { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(id), 0) AS id FROM events').get() as { id: number }).id;
  } finally {
    db.close();
  }
}

/** 1,000 lines appended one at a time to a transcript `watch` follows into `ledger` (`what` names it). */
async function latency(ctx: BenchContext, dir: string, ledger: string, what: string): Promise<BenchRow[]> {
  rmSync(join(dir, 'claude'), { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    CODEX_HOME: join(dir, 'codex'),
    GEMINI_DATA_DIR: join(dir, 'gemini', 'tmp'),
    TOKENLEDGER_DB: ledger,
    TOKENLEDGER_CONFIG: join(dir, 'config.json'),
  };
  const session = transcriptLines('bench-watch-session', '/home/dev/src/tokenledger');
  const path = join(dir, 'claude', 'projects', '-home-dev-src-tokenledger', `${session.sessionId}.jsonl`);
  mkdirSync(join(path, '..'), { recursive: true });
  const start = Date.now() - 3_600_000;
  writeFileSync(path, session.exchange(0, start));
  const before = lastEventId(ledger);
  const watching = await startWatch(ctx, env);
  const counter = eventCounter(ledger, before);
  try {
    await counter.waitFor(1);
    ctx.log(`watch: appending ${APPENDS} lines one at a time`);
    const waits: number[] = [];
    for (let n = 1; n <= APPENDS; n++) {
      const line = session.exchange(n, start + n * 1000);
      const t0 = performance.now();
      appendFileSync(path, line);
      await counter.waitFor(n + 1);
      waits.push(performance.now() - t0);
    }
    waits.sort((a, b) => a - b);
    ctx.log(`watch: idle for ${IDLE_MS / 1000} s`);
    const rest = await idle(watching.child.pid!, IDLE_MS);
    const code = await watching.stop();
    if (code !== 0) throw new Error(`watch exited with ${code} on SIGTERM: ${watching.stderr()}`);
    const p50 = percentile(waits, 50);
    const p99 = percentile(waits, 99);
    const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');
    return [
      [`\`watch\` (${what}): appended line in the ledger, p50 of ${APPENDS}`, `${p50.toFixed(0)} ms`, '≤ 1 s', mark(p50 <= 1000)],
      [`\`watch\` (${what}): appended line in the ledger, p99 of ${APPENDS}`, `${p99.toFixed(0)} ms`, '≤ 1 s', `${mark(p99 <= 1000)} (max ${waits[waits.length - 1]!.toFixed(0)} ms)`],
      [`\`watch\` (${what}): idle CPU, ${IDLE_MS / 1000} s after the appends`, `${rest.cpuPct.toFixed(1)} %`, '0 % (under 0.5 %: one 10 ms tick in 10 s is 0.1 %)', mark(rest.cpuPct < 0.5)],
      [`\`watch\` (${what}): idle RSS after the appends`, `${rest.rss.toFixed(0)} MB`, '< 80 MB', mark(rest.rss < 80)],
    ];
  } finally {
    counter.close();
    if (watching.child.exitCode === null) await watching.stop();
  }
}

/** Idle figures after catching up on the whole benchmark corpus (a first start on a full history). */
async function afterCatchUp(ctx: BenchContext, dir: string): Promise<BenchRow[]> {
  const env: NodeJS.ProcessEnv = { ...ctx.env, TOKENLEDGER_DB: join(dir, 'catch-up', 'ledger.db'), TOKENLEDGER_CONFIG: join(dir, 'config.json') };
  const watching = await startWatch(ctx, env, ['--verbose']);
  try {
    const started = performance.now();
    await until(() => watching.stderr().includes('synced every file'), 600_000);
    const caughtUpMs = performance.now() - started;
    ctx.log(`watch: caught up on the corpus in ${(caughtUpMs / 1000).toFixed(1)} s; idle for ${IDLE_MS / 1000} s`);
    // V8's memory reducer collects garbage once, about 7 s after the burst of the catch-up ends
    // (2 ticks, measured): a one-off, not idle work, so the idle window starts after it.
    await new Promise((r) => setTimeout(r, 10_000));
    const rest = await idle(watching.child.pid!, IDLE_MS);
    const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');
    return [
      ['`watch` catch-up of the corpus at start', `${(caughtUpMs / 1000).toFixed(1)} s`, '', ''],
      [`\`watch\` idle CPU after the catch-up`, `${rest.cpuPct.toFixed(1)} %`, '0 % (under 0.5 %: one 10 ms tick in 10 s is 0.1 %)', mark(rest.cpuPct < 0.5)],
      ['`watch` idle RSS after the catch-up', `${rest.rss.toFixed(0)} MB`, '< 80 MB', mark(rest.rss < 80)],
    ];
  } finally {
    const code = await watching.stop();
    if (code !== 0) ctx.log(`watch exited with ${code}: ${watching.stderr()}`);
  }
}

/** `tokenledger watch`: latency from an appended line to the ledger, and what it costs idle. */
export const benchWatch: BenchPart = {
  name: 'watch',
  async run(ctx) {
    const dir = join(ctx.work, 'watch');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'config.json'), '{}');
      const rows = await latency(ctx, dir, join(dir, 'ledger', 'ledger.db'), 'new ledger');
      // The same on a copy of a ledger of a million events (the main bench's, built once a day).
      ctx.log('watch: the 1,000,000-event ledger (built once a day into .bench/)');
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const big = await bigLedger(join(ctx.work, `ledger-1m-v2-${new Date(today).toISOString().slice(0, 10)}.db`), 1_000_000, today);
      mkdirSync(join(dir, 'big'), { recursive: true });
      copyFileSync(big, join(dir, 'big', 'ledger.db'));
      rows.push(...(await latency(ctx, dir, join(dir, 'big', 'ledger.db'), '1M-event ledger')));
      rows.push(...(await afterCatchUp(ctx, dir)));
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
