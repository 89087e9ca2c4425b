import { EXIT, type ExitCode } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import { openWrites } from '../../gateway/open-writes.js';
import { Gateway, type StopReport } from '../../gateway/server.js';
import { spillFolderFor } from '../../gateway/spill-journal.js';
import { dataFolder } from '../../config/locations.js';
import { type GatewayFlags, gatewaySettings } from '../../gateway/settings.js';
import type { GatewayLedgerHandle } from '../../gateway/ledger-writes.js';
import { parseCount } from '../../app/numbers.js';
import type { Io } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { untilStopped } from '../stop-signals.js';
import { tlsOptions } from '../tls-options.js';
import { guardOptions, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { keysNamespace, withSharedNamespaceHelp } from './keys-namespace.js';

/** The flags of `tokenledger gateway`, typed. */
interface GatewayCommandFlags extends GatewayFlags {
  namespace?: string;
  db?: string;
  config?: string;
}

function gatewayFlags(raw: Record<string, unknown>): GatewayCommandFlags {
  const text = (name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
  const flags: GatewayCommandFlags = {};
  for (const [key, name] of [
    ['listen', 'listen'],
    ['tlsCert', 'tlsCert'],
    ['tlsKey', 'tlsKey'],
    ['namespace', 'namespace'],
    ['db', 'db'],
    ['config', 'config'],
  ] as const) {
    const value = text(name);
    if (value !== undefined) flags[key] = value;
  }
  if (Array.isArray(raw.upstream)) flags.upstreams = raw.upstream as string[];
  if (raw.allowPlainHttp === true) flags.allowPlainHttp = true;
  const commitMs = text('commitMs');
  if (commitMs !== undefined) flags.commitMs = parseCount(commitMs, '--commit-ms', 1, 10_000);
  return flags;
}

/** What tests change: the writer thread's bundle (tests run sources), and hearing where it listens. */
export interface GatewayTuning {
  writerScript?: URL;
  started?: (url: string) => void;
  /** How long stopping may take before pending usage is spilled (default 30 s). */
  drainMs?: number;
}

/** Runs the gateway until `signal` aborts, then drains, flushes and returns. */
export async function runGateway(io: Io, raw: Record<string, unknown>, signal: AbortSignal, tuning: GatewayTuning = {}): Promise<ExitCode> {
  const flags = gatewayFlags(raw);
  return withWorkspace(
    flags,
    io,
    (loaded) => ({ settings: gatewaySettings(loaded.config.gateway, flags, io.env), namespace: keysNamespace(raw, io, loaded.config.namespace) }),
    async (ws, { settings, namespace }) => {
      const say = (line: string): void => void io.stderr.write(`${terminalText(line)}\n`);
      const ledger = ws.ledger as GatewayLedgerHandle;
      const guard = guardOptions(ws);
      const gateway = new Gateway({
        settings,
        ledger,
        writes: await openWrites(ws.location, ledger, ws.recorder, { timeZone: guard.clock.timeZone, startOfWeek: guard.startOfWeek, thresholds: guard.thresholds }, tuning.writerScript),
        namespace,
        pricer: ws.pricer,
        periods: { clock: guard.clock, startOfWeek: guard.startOfWeek },
        now: () => io.now(),
        log: say,
        ...(tuning.drainMs === undefined ? {} : { drainMs: tuning.drainMs }),
        ...(ws.location.engine === 'sqlite' && ws.location.path === ':memory:' ? {} : { spillFolder: spillFolderFor(dataFolder(io.env), await ledger.ledgerId()) }),
      });
      let url: string;
      try {
        ({ url } = await gateway.start());
      } catch (error) {
        // Nothing was served: the writer thread is stopped before the error is reported.
        await gateway.stop();
        throw error;
      }
      const routes = settings.upstreams.map((u) => `/${u.name}/ → ${u.baseUrl.origin}${u.credential === undefined ? ' (no credential configured)' : ''}`).join(', ');
      io.stdout.write(`tokenledger gateway listening on ${url}\n`);
      say(`tokenledger gateway: ${routes}; recording into ${ws.ledger.location} (namespace ${namespace}); SIGINT or SIGTERM stops`);
      tuning.started?.(url);
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      say('tokenledger gateway: stopping: finishing requests in flight and writing their usage');
      const exit = sayHowGatewayStopped(await gateway.stop(), 'tokenledger gateway', say);
      if (exit === EXIT.ok) say('tokenledger gateway: stopped');
      return exit;
    },
  );
}

export const gatewayCommand: Runnable = {
  name: 'gateway',
  summary: 'run the metering gateway: an HTTP proxy in front of the LLM APIs that meters every request per gateway key and enforces key budgets before spending',
  configure(command) {
    tlsOptions(
      withSharedNamespaceHelp(ledgerOptions(command))
        .option('--listen <host:port>', 'address to listen on (default: config gateway.listen, else 127.0.0.1:4000); any other than loopback needs TLS or --allow-plain-http')
        .option(
          '--upstream <name=url>',
          'an upstream and its base URL as its SDK takes it (anthropic, openai, gemini, or any name for an OpenAI-compatible server); repeatable',
          (value: string, previous: string[] = []) => [...previous, value],
        ),
    ).option('--commit-ms <n>', 'how long metered usage waits to be committed together (default 25; after a SIGKILL at most this much is missing)');
  },
  run(io, _args, flags) {
    return untilStopped(io.stderr, 'tokenledger gateway: stopping, draining requests in flight', (signal) => runGateway(io, flags, signal));
  },
};

/**
 * Says what a stopped gateway could not record (usage spilled to its journal, or lost) and returns
 * the exit code: `failure` when any usage had to be spilled, else `ok`.
 */
export function sayHowGatewayStopped(report: StopReport, who: string, say: (text: string) => void): ExitCode {
  if (report.spilled === 0) return EXIT.ok;
  say(
    report.spillFolder === undefined
      ? `${who}: stopped; the ledger could not take the usage of ${report.spilled} gateway request(s) and it is not recorded`
      : `${who}: stopped; the ledger could not take the usage of ${report.spilled} gateway request(s): it is kept in ${report.spillFolder} and committed when the gateway next starts on this ledger`,
  );
  return EXIT.failure;
}
