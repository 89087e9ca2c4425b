import { join } from 'node:path';
import { benchCorpus } from './corpus.js';
import type { BenchContext, BenchPart, BenchRow } from './context.js';
import { removeLedger } from './ledger-files.js';
import { measure, median, ok, type Measured } from './measure.js';
import { SHAPES } from './shapes.js';

/** Sizes of one shape the cold sync is timed on, to show its cost is linear in bytes. */
const SIZES_MB = [250, 500, 1000, 2000];
const SIZE_SHAPE = 'plain';
/** Peak memory allowed at 500 MB and at 2 GB (it must not grow with the corpus). */
const PEAK_MB = new Map([
  [500, 200],
  [2000, 250],
]);
const TARGET = 1.0;
const GOAL = 0.65;

/**
 * Cold `daily` (empty ledger: sync + report) on every corpus shape and on one shape at growing
 * sizes, side by side with ccusage when `CCUSAGE_BIN` names it. `BENCH_RUNS` cold runs per shape.
 */
export const benchColdShapes: BenchPart = {
  name: 'shapes',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const peer = process.env.CCUSAGE_BIN;
    const rows: BenchRow[] = [];
    const db = join(context.work, 'shape.db');
    const cold = async (shape: string, megabytes: number, count: number): Promise<{ ours: Measured[]; theirs: Measured[]; sessions: number }> => {
      context.log(`cold daily: ${megabytes} MB ${shape}`);
      const corpus = benchCorpus(context.work, megabytes, shape);
      const env = { ...context.env, CLAUDE_CONFIG_DIR: corpus.claudeRoot, CODEX_HOME: corpus.codexRoot, GEMINI_DATA_DIR: corpus.geminiRoot };
      const ours: Measured[] = [];
      const theirs: Measured[] = [];
      for (let i = 0; i < count; i++) {
        removeLedger(db);
        ours.push(ok(await measure(process.execPath, [context.bin, 'daily', '--json', '--db', db], env), 'tokenledger daily'));
        if (peer !== undefined) theirs.push(ok(await measure(peer, ['daily', '--offline', '--json'], env), 'ccusage daily'));
      }
      removeLedger(db);
      return { ours, theirs, sessions: corpus.sessions };
    };
    const compare = (ours: Measured[], theirs: Measured[]): [string, string] => {
      const ms = median(ours.map((m) => m.wallMs));
      if (theirs.length === 0) return [`${ms.toFixed(0)} ms`, 'ccusage not run (set CCUSAGE_BIN)'];
      const peerMs = median(theirs.map((m) => m.wallMs));
      const ratio = ms / peerMs;
      const verdict = ratio <= GOAL ? 'met, and the goal' : ratio <= TARGET ? 'met' : '**not met**';
      return [`${ms.toFixed(0)} ms`, `${verdict} (${ratio.toFixed(2)} × ccusage ${peerMs.toFixed(0)} ms)`];
    };
    for (const shape of SHAPES) {
      const { ours, theirs, sessions } = await cold(shape.name, 500, runs);
      const [value, result] = compare(ours, theirs);
      rows.push([`cold \`daily\`, 500 MB, ${shape.label} (${sessions} sessions)`, value, `≤ ${TARGET} × ccusage (goal ${GOAL} ×)`, result]);
    }
    for (const megabytes of SIZES_MB) {
      const { ours, theirs } = await cold(SIZE_SHAPE, megabytes, 1);
      const [value, result] = compare(ours, theirs);
      const peak = Math.max(...ours.map((m) => m.peakMb ?? 0));
      const limit = PEAK_MB.get(megabytes);
      const perMb = median(ours.map((m) => m.wallMs)) / megabytes;
      rows.push([
        `cold \`daily\`, ${megabytes} MB ${SIZE_SHAPE}: time, ms per MB, peak RSS`,
        `${value}, ${perMb.toFixed(2)} ms/MB, ${peak.toFixed(0)} MB`,
        limit === undefined ? 'linear in bytes' : `peak ≤ ${limit} MB`,
        `${limit === undefined ? '' : `${peak <= limit ? 'met' : '**not met**'}; `}${result}`,
      ]);
    }
    return rows;
  },
};
