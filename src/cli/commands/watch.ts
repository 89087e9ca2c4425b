import type { GuardOptions } from '../../budgets/guard.js';
import { followAgentLogs } from '../../app/agent-log-follower.js';
import type { Follower } from '../../watch/follower.js';
import type { WatchedFolder } from '../../watch/watch-folders.js';
import { ingestDropFolder } from '../../ingest/drop-folder.js';
import { describeError, EXIT, type ExitCode } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import { prometheusText } from '../../sinks/prometheus/prometheus-text.js';
import { writeTextfileAtomic } from '../../sinks/prometheus/textfile.js';
import { syncedSources } from '../../sources/index.js';
import { AlertOutbox } from '../../watch/alert-outbox.js';
import { startDropWatch, type DropWatch } from '../../watch/drop-watch.js';
import type { WatchFunction } from '../../watch/folder-watch.js';
import { Throttle } from '../../watch/throttle.js';
import type { Io } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { ledgerOptions } from '../../reports/options.js';
import { guardOptions, recordTarget, withWorkspace, type Workspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { DEFAULT_MAX_SESSIONS, exportDocument } from './export.js';
import { watchFlags, type WatchFlags } from './watch-flags.js';
import { syncReporter } from './watch-report.js';
import { untilStopped } from '../stop-signals.js';
import { remoteLocation } from '../remote-copy.js';
import { startWatchPush, type WatchPushTuning } from '../watch-push.js';
import { describeLocation } from '../../ledger/location.js';
import { OtlpInterval } from '../../watch/otlp-interval.js';
import { OTLP_FLAGS, otlpExport, otlpTarget, warnPlainHttp } from './export-otlp.js';
import { badArgument } from '../../core/errors.js';

/** Timings tests shorten; the defaults are what `tokenledger watch` runs with. */
export interface WatchTuning extends WatchPushTuning {
  /** Full rescan in case the kernel dropped an event. */
  rescanMs?: number;
  /** Looks for crossings other processes recorded. */
  alertCheckMs?: number;
  /** First wait after a webhook that failed all its attempts. */
  alertRetryMs?: number;
  /** Least time between two textfile writes after commits. */
  prometheusGapMs?: number;
  /** The textfile is rewritten this often anyway (time windows roll). */
  prometheusEveryMs?: number;
  watch?: WatchFunction;
  /** `--otlp`: how often usage is sent (default `--otlp-interval`, 60 s). */
  otlpEveryMs?: number;
}

const DEFAULTS = { rescanMs: 300_000, alertCheckMs: 15_000, alertRetryMs: 30_000, prometheusGapMs: 5_000, prometheusEveryMs: 60_000 };

/**
 * Follows every source's folders until `signal` aborts, then stops cleanly: watches and timers end,
 * a commit in flight finishes (nothing is half-written), the textfile is written a last time.
 */
export async function runWatch(io: Io, rawFlags: Record<string, unknown>, signal: AbortSignal, tuning: WatchTuning = {}): Promise<ExitCode> {
  const t = { ...DEFAULTS, ...tuning };
  const flags = watchFlags(rawFlags);
  const remote = flags.push === undefined ? undefined : remoteLocation(flags.push, io.env);
  const otlp = otlpTarget(rawFlags, io.env, { timeoutMs: 10_000, retries: 3 });
  const otlpEveryMs = tuning.otlpEveryMs ?? otlpInterval(rawFlags.otlpInterval, otlp !== undefined);
  return withWorkspace(
    rawFlags,
    io,
    (loaded) => ({
      // Agent logs go to the sync partition (as `sync` records them); alerts and the textfile are about the watched one.
      recordNs: resolveNamespace(flags.namespace, 'sync', io.env, loaded.config.namespace),
      readNs: resolveNamespace(flags.namespace, 'watch', io.env, loaded.config.namespace),
    }),
    async (ws, { recordNs, readNs }) => {
      // Every watch message is one line, and may name models, paths or log text: shown with control characters escaped.
      const say = (line: string): void => void io.stderr.write(`${terminalText(line)}\n`);
      const guard = guardOptions(ws);
      const alerts = ws.loaded.config.alerts ?? {};
      const outbox = new AlertOutbox({
        ledger: ws.ledger,
        namespaces: [...new Set([recordNs, readNs])],
        guard,
        stderr: alerts.stderr ?? true,
        ...(alerts.webhook === undefined ? {} : { webhook: alerts.webhook }),
        say,
        checkEveryMs: t.alertCheckMs,
        retryMs: t.alertRetryMs,
      });
      const textfile = flags.prometheus === undefined ? undefined : prometheusWriter(ws, guard, flags.prometheus, readNs, say, t.prometheusGapMs);
      const refresh = textfile === undefined ? undefined : setInterval(() => textfile.request(), t.prometheusEveryMs);
      let follower: Follower | undefined;
      let drops: DropWatch | undefined;
      // With --push, every recorded change is also sent on to the remote ledger (a team's).
      const pusher = remote === undefined ? undefined : startWatchPush(ws, remote, say, flags.verbose, t);
      if (otlp !== undefined) warnPlainHttp(io, otlp);
      // With --otlp, what the watched namespace records is sent on as OTLP metrics, every interval and at stop.
      const otlpSender =
        otlp === undefined ? undefined : new OtlpInterval({ exporter: otlpExport(io, ws.ledger, otlp, readNs), everyMs: otlpEveryMs, say, shown: otlp.endpoint.shown, verbose: flags.verbose });
      try {
        await textfile?.now();
        const sources = syncedSources(ws.loaded.config.sync?.skip);
        const reporter = syncReporter(ws, flags.verbose, say);
        const recorded = (): void => {
          void outbox.check();
          textfile?.request();
          pusher?.request();
        };
        // What was recorded before this watch started (and not pushed yet) goes first.
        pusher?.request();
        let folders: WatchedFolder[];
        ({ follower, folders } = followAgentLogs({
          ledger: ws.ledger,
          location: ws.location,
          pricer: ws.pricer,
          env: io.env,
          namespace: recordNs,
          ...(ws.loaded.config.sync?.skip === undefined ? {} : { skip: ws.loaded.config.sync.skip }),
          ...(typeof rawFlags.config === 'string' ? { configPath: rawFlags.config } : {}),
          guard,
          debounceMs: flags.debounceMs,
          rescanMs: t.rescanMs,
          verbose: flags.verbose,
          onSynced: (report, only) => {
            reporter(report, only);
            if (only === undefined || report.inserted + report.replaced > 0) recorded();
          },
          say,
          ...(t.watch === undefined ? {} : { watch: t.watch }),
        }));
        if (flags.dropDir !== undefined) drops = watchDropFolder(ws, flags, flags.dropDir, say, recorded);
        const waiting = new Set(follower.folders.waiting);
        const listed = sources.map(
          (s) =>
            `${s.id} (${folders
              .filter((f) => f.source === s)
              .map((f) => `${f.folder}${waiting.has(f.folder) ? '*' : ''}`)
              .join(', ')})`,
        );
        say(
          `tokenledger watch: following ${listed.join(', ')} into ${ws.ledger.location} (namespace ${recordNs})` +
            `${waiting.size > 0 ? '; * not there yet, picked up when it appears' : ''}${flags.dropDir === undefined ? '' : `; drop folder ${flags.dropDir}`}` +
            `${flags.prometheus === undefined ? '' : `; textfile ${flags.prometheus}`}${remote === undefined ? '' : `; pushing to ${describeLocation(remote)}`}` +
            `${otlp === undefined ? '' : `; OTLP metrics of namespace ${readNs} to ${otlp.endpoint.shown} every ${otlpEveryMs / 1000} s`}. SIGINT or SIGTERM stops.`,
        );
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      } finally {
        // Whatever ended the wait: nothing is left running, and the ledger is closed after this.
        await follower?.stop();
        await drops?.stop();
        await pusher?.close();
        // After the follower and drop folder stopped: the last send carries everything they committed.
        await otlpSender?.stop();
        if (refresh !== undefined) clearInterval(refresh);
        await outbox.stop();
        if (textfile !== undefined) {
          await textfile.stop();
          await textfile.now();
        }
      }
      say('tokenledger watch: stopped');
      return EXIT.ok;
    },
  );
}

/** Records the files dropped into `dir` as they arrive, as `ingest --drop-dir` does once. */
function watchDropFolder(ws: Workspace, flags: WatchFlags, dir: string, say: (line: string) => void, recorded: () => void): DropWatch {
  // Crossings are announced from the ledger (the outbox), not from the guard's list.
  const { target, crossings } = recordTarget(ws, flags.namespace);
  return startDropWatch({
    dir,
    debounceMs: flags.debounceMs,
    pass: async () => {
      const report = await ingestDropFolder({ dir, target, now: () => ws.io.now() });
      crossings.length = 0;
      for (const r of report.rejected) say(`tokenledger: drop folder: ${r.file} set aside in rejected/: ${r.reason}`);
      if (flags.verbose && report.files > 0) say(`drop folder: recorded ${report.files} file${report.files === 1 ? '' : 's'}: ${report.inserted} new, ${report.duplicates} already recorded`);
      if (report.inserted > 0) recorded();
      return { waiting: report.waiting.length };
    },
    onTrouble: (error, _retryInMs, attempt) => {
      if (attempt === 1) say(`tokenledger: cannot take the drop folder's files yet (${describeError(error)}); they stay in place, retrying every few seconds`);
    },
    onRecovered: () => say('tokenledger: drop folder taken again'),
  });
}

/** Writes the same textfile as `export --prometheus`, throttled; a write that fails is said once per reason. */
function prometheusWriter(ws: Workspace, guard: GuardOptions, path: string, namespace: string, say: (line: string) => void, gapMs: number): Throttle {
  let problem: string | undefined;
  return new Throttle(async () => {
    try {
      const doc = await exportDocument({ ws, namespace, guard, now: ws.io.now() }, DEFAULT_MAX_SESSIONS);
      writeTextfileAtomic(path, prometheusText(doc));
      problem = undefined;
    } catch (error) {
      const reason = describeError(error);
      if (reason !== problem) say(`tokenledger: cannot write the textfile ${path}: ${reason}`);
      problem = reason;
    }
  }, gapMs);
}

/** `--otlp-interval`: whole seconds, 1 to 86 400. */
function otlpInterval(text: unknown, withOtlp: boolean): number {
  const given = text ?? '60';
  const value = typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : Number.NaN;
  if (!(value >= 1 && value <= 86_400)) throw badArgument(`--otlp-interval expects whole seconds from 1 to 86400, got "${String(given)}"`);
  if (!withOtlp && text !== undefined && text !== '60') throw badArgument('--otlp-interval only applies with --otlp <url>');
  return value * 1000;
}

export const watchCommand: Runnable = {
  name: 'watch',
  summary: 'follow agent logs as they are written: new usage in the ledger within a second, budget alerts, a fresh Prometheus textfile',
  configure(command) {
    ledgerOptions(command)
      .option('--prometheus <path>', 'keep this node_exporter textfile fresh (as `export --prometheus` writes it): after commits, at most every 5 s, and every minute')
      .option('--drop-dir <dir>', 'also record the event files dropped into this folder as they arrive (as `ingest --drop-dir` does once)')
      .option(
        '--push <remote>',
        'also send what is recorded to another ledger as `push` does (a team ledger postgres://… or a ledger file): after changes, at most one push at a time, retried until it gets through',
      )
      .option(...OTLP_FLAGS.otlp)
      .option('--otlp-interval <seconds>', 'with --otlp: seconds between sends (as the OpenTelemetry SDK exports every 60 s); what is left is sent at stop', '60')
      .option(...OTLP_FLAGS.protocol)
      .option(...OTLP_FLAGS.temporality)
      .option(...OTLP_FLAGS.attributes)
      .option(...OTLP_FLAGS.since)
      .option('--debounce <ms>', 'wait this long after a change before reading it, so a burst of writes is read at once', '30');
  },
  run(io, _args, flags) {
    return untilStopped(io.stderr, 'tokenledger watch: stopping, finishing the write in flight', (signal) => runWatch(io, flags, signal));
  },
};
