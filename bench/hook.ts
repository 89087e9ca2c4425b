import { appendFileSync } from 'node:fs';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { liveSession } from './live-session.js';
import { median } from './measure.js';
import { ms, p95, timedProcess } from './timed-process.js';

const RUNS = 20;

/**
 * The Claude Code hooks on a ledger of about 100 MB: each run appends a turn to a live transcript,
 * then times the whole `hook stop` (or `hook guard`) process with Claude Code's payload on stdin.
 */
export const benchHook: BenchPart = {
  name: 'hook',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const { db, ledgerMb, root, transcript, cwd, nextTurn } = await liveSession(ctx, 'hook');
    const env = { ...ctx.env, TOKENLEDGER_DB: db, CLAUDE_CONFIG_DIR: root, CLAUDE_PROJECT_DIR: cwd };
    const payload = (event: string): string => JSON.stringify({ session_id: 'bench-session', transcript_path: transcript, cwd, hook_event_name: event });
    const hook = async (kind: 'stop' | 'guard', event: string): Promise<number> => {
      const r = await timedProcess([ctx.bin, 'hook', kind], payload(event), env);
      if (r.code !== 0) throw new Error(`hook ${kind} exited with ${r.code}: ${r.stderr}`);
      return r.ms;
    };
    await hook('stop', 'Stop'); // records the session so far

    const stop: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appendFileSync(transcript, nextTurn());
      stop.push(await hook('stop', 'Stop'));
    }
    for (const [usd, scope] of [
      ['1000000', 'global'],
      ['100000', 'project:hook-bench'],
    ]) {
      const set = await timedProcess([ctx.bin, 'budget', 'set', usd as string, '--scope', scope as string], '', env);
      if (set.code !== 0) throw new Error(`budget set exited with ${set.code}: ${set.stderr}`);
    }
    const guardNew: number[] = [];
    const guardIdle: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      appendFileSync(transcript, nextTurn());
      guardNew.push(await hook('guard', 'UserPromptSubmit'));
      guardIdle.push(await hook('guard', 'PreToolUse'));
    }
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) floor.push((await timedProcess(['-e', '0'], '', env)).ms);

    const mark = (values: number[]): string => (median(values) < 200 ? 'met' : '**not met**');
    const figures = (values: number[]): string => `${ms(median(values))} (p95 ${ms(p95(values))})`;
    const where = `${ledgerMb.toFixed(0)} MB ledger`;
    return [
      [`\`hook stop\` after a new turn, ${where}`, figures(stop), '< 200 ms', mark(stop)],
      [`\`hook guard\` (UserPromptSubmit) after a new turn, 2 budgets, ${where}`, figures(guardNew), '< 200 ms', mark(guardNew)],
      [`\`hook guard\` (PreToolUse), nothing new, 2 budgets, ${where}`, figures(guardIdle), '< 200 ms', mark(guardIdle)],
      ['floor: `node -e 0` (process start alone)', ms(median(floor)), '', `medians and p95 of ${RUNS} runs each`],
    ];
  },
};
