import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import { writeCorpus } from '../src/sample/corpus.js';
import { analysisCommands } from './analyses.js';
import { todaysBigLedger } from './big-ledger.js';
import { appendShare, benchCorpus, listFiles } from './corpus.js';
import { readFloor } from './floor.js';
import { removeLedger } from './ledger-files.js';
import { measure, median, ok, type Measured } from './measure.js';
import { type BenchContext, type BenchRow, type BenchTable, markdownTable } from './context.js';
import { BENCH_PARTS } from './parts.js';

/**
 * `npm run bench`: the figures issue targets are stated in. BENCH_MB sets the corpus size
 * (default 500), BENCH_RUNS the cold runs (default 3), CCUSAGE_BIN a ccusage executable to run
 * side by side (never a dependency: install it in a temporary folder).
 */
const root = packageRoot();
const work = join(root, '.bench');
const megabytes = Number(process.env.BENCH_MB ?? 500);
const coldRuns = Number(process.env.BENCH_RUNS ?? 3);
const bin = join(root, 'bin', 'tokenledger');
const ccusage = process.env.CCUSAGE_BIN;

mkdirSync(work, { recursive: true });
const log = (text: string): void => void process.stderr.write(`${text}\n`);

// BENCH_ONLY=watch,hook runs only those parts (no corpus timings).
const only = process.env.BENCH_ONLY?.split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const onlyParts = only !== undefined && only.length > 0 ? BENCH_PARTS.filter((p) => only.includes(p.name)) : undefined;
// Parts run alone that read no agent logs need no corpus (generating 500 MB takes minutes).
const needsCorpus = onlyParts === undefined || onlyParts.some((p) => p.corpus !== false);
const noCorpus = { claudeRoot: join(work, 'no-corpus', 'claude'), codexRoot: join(work, 'no-corpus', 'codex'), geminiRoot: join(work, 'no-corpus', 'gemini'), bytes: 0, sessions: 0 };
if (needsCorpus) log(`corpus: ${megabytes} MB (generated once into .bench/)`);
const corpus = needsCorpus ? benchCorpus(work, megabytes) : noCorpus;
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: join(work, 'home'),
  TZ: 'Europe/Berlin',
  XDG_CONFIG_HOME: join(work, 'config'),
  XDG_DATA_HOME: join(work, 'data'),
  CLAUDE_CONFIG_DIR: corpus.claudeRoot,
  CODEX_HOME: corpus.codexRoot,
  GEMINI_DATA_DIR: corpus.geminiRoot,
};
const tokenledger = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Measured> => measure(process.execPath, [bin, ...args], { ...env, ...extra });
const header = '| measure | tokenledger | target | result |\n| --- | --- | --- | --- |';
const partContext: BenchContext = { work, bin, env, log };
const runParts = async (names: readonly string[] | undefined): Promise<{ rows: BenchRow[]; tables: BenchTable[] }> => {
  const rows: BenchRow[] = [];
  const tables: BenchTable[] = [];
  for (const part of BENCH_PARTS) {
    if (names !== undefined && !names.includes(part.name)) continue;
    log(`part: ${part.name}`);
    const result = await part.run(partContext);
    if (Array.isArray(result)) rows.push(...result);
    else tables.push(result);
  }
  return { rows, tables };
};
const tableLines = (tables: readonly BenchTable[]): string[] => tables.flatMap((t) => ['', ...markdownTable(t.columns, t.rows)]);
if (only !== undefined && only.length > 0) {
  const unknown = only.filter((name) => !BENCH_PARTS.some((p) => p.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no part: ${unknown.join(', ')} (parts: ${BENCH_PARTS.map((p) => p.name).join(', ')})`);
  const { rows: partRows, tables } = await runParts(only);
  const main = partRows.length > 0 ? [header, ...partRows.map((r) => `| ${r.join(' | ')} |`)] : [];
  process.stdout.write(`${[...main, ...tableLines(tables)].join('\n').trim()}\n`);
  process.exit(0);
}

// Cold: empty ledger, full sync + report, side by side with ccusage when it is there.
const db = join(work, 'bench.db');
const cold: Measured[] = [];
const peer: Measured[] = [];
for (let i = 0; i < coldRuns; i++) {
  removeLedger(db);
  log(`cold run ${i + 1}/${coldRuns}`);
  cold.push(ok(await tokenledger(['daily', '--json', '--db', db]), 'tokenledger daily'));
  if (ccusage !== undefined) peer.push(ok(await measure(ccusage, ['daily', '--offline', '--json'], env), 'ccusage daily'));
}

// Warm: nothing new.
const warm: number[] = [];
for (let i = 0; i < 10; i++) warm.push(ok(await tokenledger(['daily', '--json', '--db', db]), 'warm daily').wallMs);

// 1% appended: each run on a copy of the synced ledger, the corpus cut back afterwards.
const extra = writeCorpus(join(work, 'extra'), {
  seed: 4242,
  endAt: Date.UTC(2025, 10, 21),
  days: 2,
  claudeBytes: Math.max(2_000_000, corpus.bytes * 0.012),
  codexBytes: 0,
  geminiSessions: 0,
  claudeSessionBytes: 400_000,
  codexSessionBytes: 1,
});
const appended: number[] = [];
let appendedBytes = 0;
for (let i = 0; i < 5; i++) {
  const scratch = join(work, 'append.db');
  removeLedger(scratch);
  copyFileSync(db, scratch);
  if (existsSync(`${db}-wal`)) copyFileSync(`${db}-wal`, `${scratch}-wal`);
  const change = appendShare(corpus, extra, 0.01);
  appendedBytes = change.bytes;
  try {
    appended.push(ok(await tokenledger(['daily', '--json', '--db', scratch]), 'daily after append').wallMs);
  } finally {
    change.restore();
  }
}
rmSync(join(work, 'extra'), { recursive: true, force: true });

// A ledger of one million events, up to today.
log('1,000,000-event ledger (built once a day into .bench/)');
const big = await todaysBigLedger(work);
const noRoots = { CLAUDE_CONFIG_DIR: join(work, 'none'), CODEX_HOME: join(work, 'none'), GEMINI_DATA_DIR: join(work, 'none') };
const bigNoSync: number[] = [];
const bigSync: number[] = [];
for (let i = 0; i < 10; i++) {
  bigNoSync.push(ok(await tokenledger(['daily', '--json', '--no-sync', '--db', big], noRoots), '1M daily').wallMs);
  bigSync.push(ok(await tokenledger(['daily', '--json', '--db', big], noRoots), '1M daily with sync').wallMs);
}

// Every analysis command over the same ledger, as a user runs it (a sync that finds no logs, then
// the analysis); a budget makes budget, projection, health and summary do their budget work.
ok(await tokenledger(['budget', 'set', '20000', '--period', 'month', '--db', big], noRoots), 'budget set');
const snapshot = join(work, 'summary.json');
const ANALYSES = analysisCommands(work);
const analysis: [string, number][] = [];
for (const [name, args] of ANALYSES) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const m = await tokenledger([...args, '--db', big], { ...noRoots, EXPORT_QUIET: '1' });
    // Exit 1 is an alert that fired: the command did its work.
    if (m.code !== 0 && m.code !== 1) throw new Error(`${name} exited with ${m.code}: ${m.stderr}`);
    if (name === 'summary') writeFileSync(snapshot, m.stdout);
    runs.push(m.wallMs);
  }
  analysis.push([name, median(runs)]);
}
const diffRuns: number[] = [];
for (let i = 0; i < 5; i++) diffRuns.push(ok(await tokenledger(['diff', '--baseline', snapshot, '--current', snapshot, '--json']), 'diff').wallMs);
const diffMs = median(diffRuns);

// Throughput: the sync alone on a fresh ledger, against the floor of reading and splitting lines.
removeLedger(db);
const syncRun = ok(await tokenledger(['sync', '--json', '--db', db]), 'sync');
const summary = JSON.parse(syncRun.stdout) as { bytesRead: number; durationMs: number };
const files = [...listFiles(corpus.claudeRoot, '.jsonl'), ...listFiles(corpus.codexRoot, '.jsonl')];
readFloor(files); // warm the page cache like the runs above
const floor = readFloor(files);
removeLedger(db);

const { rows: partRows, tables: partTables } = await runParts(undefined);

const ms = (v: number): string => `${v.toFixed(0)} ms`;
const mbps = (bytes: number, t: number): string => `${(bytes / 1e6 / (t / 1000)).toFixed(0)} MB/s`;
const coldMs = median(cold.map((m) => m.wallMs));
const peakMb = Math.max(...cold.map((m) => m.peakMb ?? 0));
const peerMs = peer.length > 0 ? median(peer.map((m) => m.wallMs)) : undefined;
const mark = (pass: boolean): string => (pass ? 'met' : '**not met**');
const rows: [string, string, string, string][] = [
  [
    'cold `daily` (empty ledger, sync + report)',
    ms(coldMs),
    peerMs === undefined ? '≤ 1.0 × ccusage' : `≤ ${ms(peerMs)} (1.0 × ccusage ${ms(peerMs)}; goal 0.65 ×)`,
    peerMs === undefined ? 'ccusage not run (set CCUSAGE_BIN)' : `${mark(coldMs <= peerMs)} (${(coldMs / peerMs).toFixed(2)} × ccusage)`,
  ],
  ['peak memory, cold run', peakMb > 0 ? `${peakMb.toFixed(0)} MB` : 'n/a (no /usr/bin/time)', '≤ 200 MB', peakMb > 0 ? mark(peakMb <= 200) : 'n/a'],
  ['warm `daily` (nothing new)', ms(median(warm)), '≤ 100 ms', mark(median(warm) <= 100)],
  [`\`daily\` after appending 1% (${(appendedBytes / 1e6).toFixed(1)} MB)`, ms(median(appended)), '≤ 200 ms', mark(median(appended) <= 200)],
  ['`daily --no-sync` over 1,000,000 events', ms(median(bigNoSync)), '≤ 150 ms', mark(median(bigNoSync) <= 150)],
  ['`daily` over 1,000,000 events (sync of no logs)', ms(median(bigSync)), '≤ 150 ms', mark(median(bigSync) <= 150)],
  ...analysis.map(([name, wall]): [string, string, string, string] => [`\`${name}\` over 1,000,000 events`, ms(wall), '≤ 300 ms', mark(wall <= 300)]),
  ['`diff` of two summary snapshots', ms(diffMs), '≤ 300 ms', mark(diffMs <= 300)],
  ['sync read throughput', mbps(summary.bytesRead, summary.durationMs), '', `${(summary.bytesRead / 1e6).toFixed(0)} MB in ${ms(summary.durationMs)}`],
  ['floor: read + split lines, one thread', mbps(floor.bytes, floor.ms), '', `${(floor.bytes / 1e6).toFixed(0)} MB in ${ms(floor.ms)}`],
  ...partRows,
];
const table = [
  `tokenledger bench: ${(corpus.bytes / 1e6).toFixed(0)} MB corpus (${corpus.sessions} sessions, ${files.length} files), medians of ${coldRuns} cold / 10 warm / 5 append / 10 big-ledger / 5 analysis runs, node ${process.version}`,
  '',
  header,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  ...tableLines(partTables),
];
process.stdout.write(`${table.join('\n')}\n`);
