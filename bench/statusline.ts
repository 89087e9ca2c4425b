import { appendFileSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTurn } from '../src/hooks/sample-turn.js';
import { bigLedger } from './big-ledger.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { median } from './measure.js';
import { ms, p95, timedProcess } from './timed-process.js';

/** The hook part's ledger of about 100 MB (built once a day, shared with it). */
const EVENTS = 900_000;
const RUNS = 20;
const DAY_MS = 86_400_000;



/**
 * `tokenledger statusline` on a ledger of about 100 MB, as Claude Code runs it: warm (nothing new in
 * the transcript) and after a new turn (appended before each run, recorded by the run).
 */
export const benchStatusline: BenchPart = {
  name: 'statusline',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const hookDir = join(ctx.work, 'hook');
    const dir = join(ctx.work, 'statusline');
    mkdirSync(hookDir, { recursive: true });
    mkdirSync(dir, { recursive: true });
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const big = await bigLedger(join(hookDir, `ledger-900k-${new Date(today).toISOString().slice(0, 10)}.db`), EVENTS, today);
    const db = join(dir, 'run.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    copyFileSync(big, db);
    const ledgerMb = statSync(db).size / 1e6;

    const root = join(dir, 'claude');
    rmSync(root, { recursive: true, force: true });
    const cwd = '/home/dev/src/statusline-bench';
    const transcript = join(root, 'projects', '-home-dev-src-statusline-bench', 'bench-session.jsonl');
    mkdirSync(join(transcript, '..'), { recursive: true });
    const start = Date.now() - 3_600_000;
    let turn = 0;
    const nextTurn = (): string => {
      turn += 1;
      return sampleTurn({ sessionId: 'bench-session', cwd, turn, at: start + turn * 20_000, cacheReadTokens: 20_000 + turn * 500 });
    };
    writeFileSync(transcript, Array.from({ length: 100 }, nextTurn).join(''));
    const env = { ...ctx.env, TOKENLEDGER_DB: db, CLAUDE_CONFIG_DIR: root, NO_COLOR: '1' };
    const payload = JSON.stringify({
      session_id: 'bench-session',
      transcript_path: transcript,
      cwd,
      model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
      workspace: { current_dir: cwd, project_dir: cwd },
      cost: { total_cost_usd: 1.23 },
      context_window: { used_percentage: 42, context_window_size: 200_000 },
      rate_limits: { five_hour: { used_percentage: 40, resets_at: Math.floor(Date.now() / 1000) + 3600 }, seven_day: { used_percentage: 12 } },
    });
    const line = async (): Promise<number> => {
      const r = await timedProcess([ctx.bin, 'statusline'], payload, env);
      if (r.code !== 0 || !r.stdout.includes(' today')) throw new Error(`statusline exited with ${r.code}: ${r.stdout}`);
      return r.ms;
    };
    await line(); // records the session so far
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await line());
    const fresh: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appendFileSync(transcript, nextTurn());
      fresh.push(await line());
    }
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) floor.push((await timedProcess(['-e', '0'], '', env)).ms);

    const figures = (values: number[]): string => `${ms(median(values))} (p95 ${ms(p95(values))})`;
    const mark = (values: number[], target: number): string => (p95(values) < target ? 'met' : '**not met**');
    const where = `${ledgerMb.toFixed(0)} MB ledger`;
    return [
      [`\`statusline\`, warm (nothing new), ${where}`, figures(warm), 'p95 < 50 ms', mark(warm, 50)],
      [`\`statusline\` after a new turn, ${where}`, figures(fresh), 'p95 < 150 ms', mark(fresh, 150)],
      ['floor: `node -e 0` (process start alone)', figures(floor), '', `medians and p95 of ${RUNS} runs each`],
    ];
  },
};
