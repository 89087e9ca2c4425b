import { appendFileSync } from 'node:fs';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { liveSession } from './live-session.js';
import { median } from './measure.js';
import { ms, p95, timedProcess } from './timed-process.js';

/** Runs of each kind; medians and p95 are taken over them. */
const RUNS = 20;

/**
 * `tokenledger statusline` on a ledger of about 100 MB, as Claude Code runs it: warm (nothing new in
 * the transcript) and after a new turn (appended before each run, recorded by the run).
 */
export const benchStatusline: BenchPart = {
  name: 'statusline',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const { db, ledgerMb, root, transcript, cwd, nextTurn } = await liveSession(ctx, 'statusline');
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
