import { badArgument, EXIT, type ExitCode } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { DroppedRecord, LocalDays } from '../ledger/ledger.js';
import { openApp, type App } from '../app/open-app.js';
import { syncedSources } from '../sources/index.js';
import { missingConfiguredRoots } from '../sources/shared/roots.js';
import { emptyReport, fromTransfer } from '../sync/report.js';
import { sync, type SpawnLane, type SyncOptions, type SyncReport } from '../sync/sync.js';
import type { SyncWorkerData, SyncWorkerMessage } from './sync-worker.js';
import type { Io } from './io.js';
import { budgetGuard, type Crossing, type GuardOptions } from '../budgets/guard.js';
import { crossingMessage } from '../budgets/crossing-message.js';
import { highestPerCommit } from '../budgets/highest-crossing.js';
import { configGuardOptions } from '../app/guard-options.js';
import { resolveNamespace } from '../app/namespace.js';
import { ProgressBar } from './progress.js';
import { sayWhatSyncKeptOnInterrupt } from './sync-interrupt.js';
import type { RecordTarget } from '../ingest/record.js';

/** What a ledger command works with: the config, the ledger and the prices in force, and its Io. */
export interface Workspace extends App {
  io: Io;
}

/** Reads the config: done first, so bad flags and settings are reported before the ledger is touched. */
export function loadSettings(flags: { config?: string }, io: Io): LoadedConfig {
  return loadConfig(flags.config, io.env);
}

/**
 * Opens the ledger and the prices of `loaded` for a command; a line on stderr when this machine's id
 * cannot be kept. `busyTimeoutMs`: how long a SQLite write waits for another writer (default 15 s).
 */
export async function openWorkspace(loaded: LoadedConfig, flags: { db?: string; busyTimeoutMs?: number }, io: Io): Promise<Workspace> {
  const app = await openApp(loaded, flags.db, io.env, (line) => io.stderr.write(`${line}\n`), flags.busyTimeoutMs);
  return { io, ...app };
}

/**
 * Runs a command over the ledger and closes it afterwards. `prepare` sees the config first, so
 * a bad flag or setting is reported before the ledger is opened (or created).
 */
export async function withWorkspace<P>(
  flags: { db?: string; config?: string; busyTimeoutMs?: number },
  io: Io,
  prepare: (loaded: LoadedConfig) => P,
  run: (ws: Workspace, prepared: P) => Promise<ExitCode>,
): Promise<ExitCode> {
  const loaded = loadSettings(flags, io);
  const prepared = prepare(loaded);
  const ws = await openWorkspace(loaded, flags, io);
  try {
    return await run(ws, prepared);
  } finally {
    await ws.ledger.close();
  }
}

const SHOWN_DROPS = 200;
/** How long a file may end in an incomplete line before a sync names it. */
const STALE_TAIL_MS = 60_000;

/**
 * `TOKENLEDGER_SYNC_THREADS` caps the threads a large sync uses, the main one included (set
 * explicitly, it also applies to small syncs); `TOKENLEDGER_SYNC_BATCH` sets the events per
 * transaction.
 */
function syncTuning(env: Io['env'], spawn: SpawnLane): Pick<SyncOptions, 'parallel' | 'batchSize'> {
  const positive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw badArgument(`${name} must be a whole number of at least 1, got "${raw}"`);
    return value;
  };
  const threads = positive('TOKENLEDGER_SYNC_THREADS');
  const batch = positive('TOKENLEDGER_SYNC_BATCH');
  return {
    parallel: threads === undefined ? { spawn } : { spawn, maxLanes: threads, fromBytes: 0 },
    ...(batch === undefined ? {} : { batchSize: batch }),
  };
}

/**
 * Runs a sync lane in a worker thread (the worker bundle sits beside the CLI's): it commits to
 * this workspace's ledger with the same budget check, and the levels it crosses join `crossings`.
 */
function spawnLane(ws: Workspace, crossings: Crossing[]): SpawnLane {
  return async (start) => {
    const { Worker } = await import('node:worker_threads');
    const options = guardOptions(ws);
    const data: SyncWorkerData = {
      ...start,
      work: [...start.work],
      prices: ws.loaded.config.prices,
      priceSource: ws.pricer.source,
      location: ws.location,
      recorder: ws.recorder,
      guard: { timeZone: options.clock.timeZone, startOfWeek: options.startOfWeek, thresholds: options.thresholds, nowMs: options.now() },
    };
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./sync-worker.mjs', import.meta.url), { workerData: data });
      let report: SyncReport | undefined;
      worker.on('message', (message: SyncWorkerMessage) => {
        report = fromTransfer(message.report);
        crossings.push(...message.crossings);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => (report !== undefined ? resolve(report) : reject(new Error(`sync thread exited with code ${code}`))));
    });
  };
}

/**
 * Reads new agent usage into the ledger, then tells the user what could not be read. The exit
 * code is `partial` when anything was dropped.
 */
export async function syncAndReport(ws: Workspace, verbose: boolean, namespaceFlag?: string): Promise<{ report: SyncReport; exit: ExitCode }> {
  if (ws.ledger.readOnly) {
    // Nothing can be recorded into a ledger that cannot be written: report what it holds.
    ws.io.stderr.write(`note: the ledger ${terminalText(ws.ledger.location)} can only be read here (its file or folder cannot be written); reporting what it holds, without reading new agent logs\n`);
    return { report: emptyReport(), exit: EXIT.ok };
  }
  const bar = new ProgressBar(ws.io.stderr);
  const crossings: Crossing[] = [];
  let report: SyncReport;
  let stopSaying = (): void => {};
  try {
    report = await sync({
      sources: syncedSources(ws.loaded.config.sync?.skip),
      // Agent logs go to the configured partition, whatever partition a report reads.
      namespace: resolveNamespace(namespaceFlag, 'sync', ws.io.env, ws.loaded.config.namespace),
      env: ws.io.env,
      ledger: ws.ledger,
      pricer: ws.pricer,
      onProgress: (done, total) => bar.update(done, total),
      onStart: (committedFiles) => (stopSaying = sayWhatSyncKeptOnInterrupt(ws.io.stderr, committedFiles)),
      checks: [budgetGuard(guardOptions(ws), (crossing) => crossings.push(crossing))],
      ...syncTuning(ws.io.env, spawnLane(ws, crossings)),
    });
  } finally {
    stopSaying();
    bar.finish();
  }
  const err = ws.io.stderr;
  reportCrossings(ws, crossings);
  const missing = syncedSources(ws.loaded.config.sync?.skip).flatMap((source) => missingConfiguredRoots(source, ws.io.env).map((path) => ({ variable: source.rootsEnvVar, path })));
  for (const m of missing) err.write(`warning: $${m.variable} names ${terminalText(m.path)}, which does not exist; nothing is read there\n`);
  if (verbose) {
    err.write(
      `synced ${report.filesRead} of ${report.filesSeen} files (${(report.bytesRead / 1e6).toFixed(1)} MB, ${report.lanes} thread${report.lanes === 1 ? '' : 's'}) in ${report.durationMs.toFixed(0)} ms: ` +
        `${report.inserted} new, ${report.replaced} updated, ${report.duplicates} duplicate events\n`,
    );
    for (const r of report.restarted) err.write(`${terminalText(`re-read from the start: ${r.path} (${r.reason})`)}\n`);
    for (const t of report.pendingTails) err.write(`waiting for the rest of a line (${t.bytes} bytes, no newline yet): ${terminalText(t.path)}\n`);
  } else {
    // A line still being written is finished within moments; one left unfinished for long is named.
    for (const t of report.pendingTails) {
      const idleMs = ws.io.now() - t.modifiedMs;
      if (idleMs >= STALE_TAIL_MS) {
        err.write(`warning: ${terminalText(t.path)} ends in an incomplete line (${t.bytes} bytes, unchanged for ${Math.floor(idleMs / 60_000)} min); it is not counted until it is complete\n`);
      }
    }
  }
  if (report.drops.length > 0) {
    if (verbose) {
      for (const d of report.drops.slice(0, SHOWN_DROPS)) err.write(`${dropLine(d)}\n`);
      if (report.drops.length > SHOWN_DROPS) err.write(`… and ${report.drops.length - SHOWN_DROPS} more\n`);
    } else {
      const files = new Set(report.drops.map((d) => d.path)).size;
      err.write(`warning: ${report.drops.length} record(s) in ${files} file(s) could not be read and were skipped (run with --verbose to list them)\n`);
    }
  }
  // Nothing found, nothing kept, and a folder asked for is missing: the report would be empty for that reason.
  if (missing.length > 0 && report.filesSeen === 0 && (await ws.ledger.partitions()).length === 0) {
    err.write('warning: no agent logs were found and the ledger holds no usage: check the folders named above\n');
    return { report, exit: EXIT.usage };
  }
  return { report, exit: report.drops.length > 0 ? EXIT.partial : EXIT.ok };
}

/**
 * The write phase of a report by local day, after its sync: the ledger brings its sums by day of
 * `zone` up to date (without waiting on another writer), so the report's read only reads. A
 * ledger that can only be read here is left as it is.
 */
export async function prepareDays(ws: Workspace, zone: LocalDays): Promise<void> {
  if (!ws.ledger.readOnly) await ws.ledger.prepareDays(zone);
}

/**
 * Where usage that comes from no followed log (ingest, drop folder, captured terminal lines) is
 * recorded: the sync partition, with the budget check in every commit. Crossings collect in
 * `crossings` for `reportCrossings`.
 */
export function recordTarget(ws: Workspace, namespaceFlag?: string): { target: RecordTarget; crossings: Crossing[] } {
  const crossings: Crossing[] = [];
  const target: RecordTarget = {
    ledger: ws.ledger,
    pricer: ws.pricer,
    namespace: resolveNamespace(namespaceFlag, 'sync', ws.io.env, ws.loaded.config.namespace),
    checks: [budgetGuard(guardOptions(ws), (crossing) => crossings.push(crossing))],
  };
  return { target, crossings };
}

/**
 * Tells the user of the budget levels their commits crossed (and empties the list): of the levels
 * one commit crossed for a budget, only the highest (each stays recorded in the ledger).
 */
export function reportCrossings(ws: Workspace, crossings: Crossing[]): void {
  // The levels of one commit share their budget and the spend that reached them.
  const announced = highestPerCommit(
    crossings.splice(0),
    (c) => `${c.status.budget.id}\0${c.status.spentNanos}`,
    (c) => c.level,
  );
  for (const { level, status } of announced) ws.io.stderr.write(`${crossingMessage(level, status)}\n`);
}

/** How a record that could not be used is shown: `dropped <path>[:<line>]: <reason>` (control characters escaped). */
export function dropLine(d: DroppedRecord): string {
  return terminalText(`dropped ${d.path}${d.line > 0 ? `:${d.line}` : ''}: ${d.reason}`);
}

/** The budget ladder and calendar of this workspace (config time zone, week start, thresholds). */
export function guardOptions(ws: Workspace): GuardOptions {
  return configGuardOptions(ws.loaded.config, ws.io.env, () => ws.io.now());
}
