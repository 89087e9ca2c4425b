import { statSync } from 'node:fs';
import { describeError, EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { redactUrls } from '../../core/redact-url.js';
import { loadConfig } from '../../config/load.js';
import { terminalText } from '../../core/terminal-text.js';
import { configPath, ledgerLocation } from '../../config/locations.js';
import { describeLocation, type LedgerLocation } from '../../ledger/location.js';
import type { DroppedRecord } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { Recorder } from '../../ledger/recorder.js';
import { resolveRecorder } from '../../app/recorder.js';
import { SOURCES } from '../../sources/index.js';
import { type DoubleMetering, doubleMetering, doubleMeteringMessage } from '../../gateway/double-metering.js';
import { type OtelDoubleCounting, otelDoubleCounting, otelDoubleCountingMessage } from '../../intake/otel/double-counting.js';
import { sourceRoots } from '../../sources/shared/roots.js';
import type { Io } from '../io.js';
import type { CommandSpec } from './command.js';

export const detectCommand: CommandSpec = {
  name: 'detect',
  summary: 'show which agents were found, where their logs are, and where tokenledger keeps its data',
  configure(command) {
    command.option('--db <path|url>', 'ledger: a SQLite file or a postgres:// URL').option('--config <path>', 'config file').option('-j, --json', 'print JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    const configFlag = typeof flags.config === 'string' ? flags.config : undefined;
    // What is broken is shown, not thrown: the rest of the diagnosis is what helps to fix it.
    const problems: Problem[] = [];
    let configured: string | undefined;
    let user: string | undefined;
    let skip: readonly string[] = [];
    const configProblem = attempt(() => {
      const config = loadConfig(configFlag, io.env).config;
      configured = config.ledger;
      user = config.user;
      skip = config.sync?.skip ?? [];
    });
    if (configProblem !== undefined) problems.push({ what: 'config', ...configProblem });
    const agents = SOURCES.map((source) => {
      const roots = sourceRoots(source, io.env).map((root) => {
        const listed = source.listFiles(root);
        let bytes = 0;
        for (const f of listed.files) {
          try {
            bytes += statSync(f.path).size;
          } catch {
            // vanished while listing
          }
        }
        return { path: root, exists: exists(root), files: listed.files.length, bytes, unreadable: listed.unreadable };
      });
      return { agent: source.id, name: source.label, variable: source.rootsEnvVar, variableSet: io.env[source.rootsEnvVar] !== undefined, skipped: skip.includes(source.id), roots };
    });
    const location = ledgerLocation(typeof flags.db === 'string' ? flags.db : undefined, io.env, configured);
    // Shown as described: a server's URL without its password.
    const ledger = describeLocation(location);
    let drops: DroppedRecord[] = [];
    let doubles: DoubleMetering[] = [];
    let otelDoubles: OtelDoubleCounting[] = [];
    // The agents whose logs this machine reads: found here and not left out by sync.skip.
    const synced = agents.filter((a) => !a.skipped && a.roots.some((r) => r.files > 0)).map((a) => a.agent);
    // Opening an older ledger upgrades it, filing what it holds under this machine's recorder.
    const recorder = resolveRecorder(user, io.env, (note) => io.stderr.write(`${note}\n`));
    const ledgerProblem = await attemptAsync(async () => ({ drops, doubles, otelDoubles } = await readLedger(location, recorder, io.now(), synced)));
    if (ledgerProblem !== undefined) problems.push({ what: 'ledger', ...ledgerProblem });
    const result = {
      ledger,
      config: configPath(configFlag, io.env).path,
      // Who the usage recorded here is filed under (config "user" or $USER@hostname, this machine's id).
      recorder,
      agents,
      drops,
      // Agents that may be counted twice: metered by the gateway and read from their logs.
      // An agent the config leaves out of sync is metered by the gateway alone.
      warnings: [
        ...doubles.filter((d) => !skip.includes(d.agent)).map((d) => ({ kind: 'double-metering', namespace: d.namespace, agent: d.agent, message: doublesMessage(d) })),
        // Agents whose usage arrives over OpenTelemetry while this machine also reads their logs.
        ...otelDoubles.map((d) => ({ kind: 'otel-double-counting', namespace: d.namespace, agent: d.agent, message: otelDoublesMessage(d) })),
      ],
      problems: problems.map(({ what, reason, hint }) => ({ what, reason, ...(hint === undefined ? {} : { hint }) })),
    };
    const exit = problems.reduce<ExitCode>((worst, p) => Math.max(p.exitCode, worst) as ExitCode, EXIT.ok);
    if (flags.json === true) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return exit;
    }
    const problemOf = (what: Problem['what']): string => {
      const p = problems.find((q) => q.what === what);
      return p === undefined ? '' : `\n  BROKEN: ${p.reason.replaceAll('\n', '\n    ')}${p.hint === undefined ? '' : `\n  hint: ${p.hint}`}`;
    };
    const out: string[] = [
      `Ledger  ${result.ledger}${problemOf('ledger')}`,
      `Config  ${result.config}${exists(result.config) ? '' : ' (none: defaults apply)'}${problemOf('config')}`,
      `User    ${recorder.user} on machine ${recorder.machine}`,
      '',
    ];
    for (const a of agents) {
      const skipped = a.skipped ? ' [skipped by config: sync.skip; its logs are not read]' : '';
      out.push(`${a.name} (${a.agent})${skipped}, roots from ${a.variableSet ? `$${a.variable}` : `defaults ($${a.variable} unset)`}:`);
      for (const r of a.roots) {
        out.push(`  ${r.path}  ${r.exists ? `${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB` : 'not found'}`);
        for (const u of r.unreadable) out.push(`    cannot read ${u.path}: ${u.reason}`);
      }
    }
    for (const w of result.warnings) out.push('', `WARNING: ${w.message}`);
    if (result.drops.length > 0) {
      out.push('', `Records the ledger could not use (latest ${result.drops.length}):`);
      for (const d of result.drops) out.push(`  ${d.path}${d.line > 0 ? `:${d.line}` : ''}: ${d.reason}`);
    }
    // Paths and reasons may hold anything a file name or log line can: shown with control characters escaped.
    io.stdout.write(`${out.map((line) => line.split('\n').map(terminalText).join('\n')).join('\n')}\n`);
    return exit;
  },
};

const SHOWN_DROPS = 50;

/** A part tokenledger needs that cannot be used: why, and the exit code its error has elsewhere. */
interface Problem {
  what: 'config' | 'ledger';
  reason: string;
  hint: string | undefined;
  exitCode: ExitCode;
}

function problemOf(error: unknown): Omit<Problem, 'what'> {
  if (error instanceof TokenledgerError) return { reason: redactUrls(error.message), hint: error.hint === undefined ? undefined : redactUrls(error.hint), exitCode: error.exitCode };
  return { reason: redactUrls(describeError(error)), hint: undefined, exitCode: EXIT.failure };
}

function attempt(work: () => unknown): Omit<Problem, 'what'> | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return problemOf(error);
  }
}

async function attemptAsync(work: () => Promise<unknown>): Promise<Omit<Problem, 'what'> | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return problemOf(error);
  }
}

/**
 * The latest records syncs had to drop, and agents metered twice (by the gateway, or over
 * OpenTelemetry while `synced` agents' logs are read here), from an existing ledger (none is
 * created here).
 */
async function readLedger(
  location: LedgerLocation,
  recorder: Recorder,
  now: number,
  synced: readonly string[],
): Promise<{ drops: DroppedRecord[]; doubles: DoubleMetering[]; otelDoubles: OtelDoubleCounting[] }> {
  if (location.engine === 'sqlite' && (location.path === ':memory:' || !exists(location.path))) return { drops: [], doubles: [], otelDoubles: [] };
  const ledger = await openLedger(location, { recorder });
  try {
    return { drops: await ledger.drops(SHOWN_DROPS), doubles: await doubleMetering(ledger, now), otelDoubles: await otelDoubleCounting(ledger, now, synced) };
  } finally {
    await ledger.close();
  }
}

function doublesMessage(d: DoubleMetering): string {
  const source = SOURCES.find((s) => s.id === d.agent);
  return doubleMeteringMessage(d, source?.label ?? d.agent);
}

function otelDoublesMessage(d: OtelDoubleCounting): string {
  const source = SOURCES.find((s) => s.id === d.agent);
  return otelDoubleCountingMessage(d, source?.label ?? d.agent);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
