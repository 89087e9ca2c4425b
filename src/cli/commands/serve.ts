import { parseCount } from '../../app/numbers.js';
import { resolveNamespace } from '../../app/namespace.js';
import { followAgentLogs } from '../../app/agent-log-follower.js';
import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { parseListen, readTlsFiles, requireTlsOffLoopback } from '../../core/listen-address.js';
import { terminalText } from '../../core/terminal-text.js';
import type { GatewayLedgerHandle } from '../../gateway/ledger-writes.js';
import { openWrites } from '../../gateway/open-writes.js';
import { Gateway } from '../../gateway/server.js';
import { adminToken, gatewaySettings } from '../../gateway/settings.js';
import { ledgerOptions } from '../../reports/options.js';
import { accessFor } from '../../server/access.js';
import { ledgerServer } from '../../server/ledger-server.js';
import { SERVER_SEGMENTS } from '../../server/app.js';
import { type Mount, Serve } from '../../server/serve.js';
import type { OtlpReceiver } from '../../server/otlp/otlp-receiver.js';
import { otlpMount } from '../../server/otlp/otlp-server.js';
import { OTLP_OPTION_HELP, otlpSettings, receiverFor, receiverWorkspace } from './otlp-settings.js';
import { AlertOutbox } from '../../watch/alert-outbox.js';
import type { Follower } from '../../watch/follower.js';
import type { Io } from '../io.js';
import { untilStopped } from '../stop-signals.js';
import { tlsOptions } from '../tls-options.js';
import { guardOptions, withWorkspace, type Workspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { syncReporter } from './watch-report.js';
import { sayHowGatewayStopped } from './gateway.js';

export const DEFAULT_SERVE_LISTEN = '127.0.0.1:4001';

/** The flags of `tokenledger serve`, typed. */
interface ServeFlags {
  listen: string;
  db?: string;
  config?: string;
  namespace?: string;
  watch: boolean;
  gateway: boolean;
  otlp: boolean;
  token?: string;
  otlpToken?: string;
  tlsCert?: string;
  tlsKey?: string;
  allowPlainHttp: boolean;
  debounceMs: number;
  verbose: boolean;
}

function serveFlags(raw: Record<string, unknown>): ServeFlags {
  const text = (name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
  const flags: ServeFlags = {
    listen: text('listen') ?? DEFAULT_SERVE_LISTEN,
    watch: raw.watch === true,
    gateway: raw.gateway === true,
    otlp: raw.otlp === true,
    allowPlainHttp: raw.allowPlainHttp === true,
    debounceMs: parseCount(raw.debounce ?? '30', '--debounce', 0, 10_000),
    verbose: raw.verbose === true,
  };
  for (const name of ['db', 'config', 'namespace', 'token', 'otlpToken', 'tlsCert', 'tlsKey'] as const) {
    const value = text(name);
    if (value !== undefined) flags[name] = value;
  }
  return flags;
}

/** What tests change: timings, and hearing where it listens. */
export interface ServeTuning {
  pollMs?: number;
  keepAliveMs?: number;
  rescanMs?: number;
  dashboardDir?: string;
  writerScript?: URL;
  started?: (url: string) => void;
}

/** Serves until `signal` aborts, then stops cleanly (streams end, requests finish, the gateway drains). */
export async function runServe(io: Io, raw: Record<string, unknown>, signal: AbortSignal, tuning: ServeTuning = {}): Promise<ExitCode> {
  const flags = serveFlags(raw);
  const listen = parseListen(flags.listen);
  const tls = readTlsFiles(flags.tlsCert, flags.tlsKey);
  requireTlsOffLoopback(listen, tls, flags.allowPlainHttp, 'tokens and the ledger’s figures');
  const readTokenEnv = io.env.TOKENLEDGER_SERVE_TOKEN;
  const readToken = flags.token ?? (readTokenEnv === undefined || readTokenEnv === '' ? undefined : readTokenEnv);
  // OTLP on the dashboard's port takes its own token when one is given, else the read token (so off loopback it always needs one).
  const otlpTokenEnv = io.env.TOKENLEDGER_OTLP_TOKEN;
  const otlp = flags.otlp ? otlpSettings(raw, listen, flags.otlpToken ?? (otlpTokenEnv === undefined || otlpTokenEnv === '' ? readToken : otlpTokenEnv), '--otlp-token or --token') : undefined;
  // The namespace served by default: as if TOKENLEDGER_NAMESPACE said it (a request's ?namespace= still chooses).
  const env = flags.namespace === undefined ? io.env : { ...io.env, TOKENLEDGER_NAMESPACE: flags.namespace };
  return withWorkspace(
    flags,
    io,
    (loaded) => {
      const access = accessFor(listen, readToken, adminToken(loaded.config.gateway, io.env), tls !== undefined);
      const gateway = flags.gateway
        ? gatewaySettings(
            loaded.config.gateway,
            {
              listen: flags.listen,
              allowPlainHttp: flags.allowPlainHttp,
              ...(flags.tlsCert === undefined ? {} : { tlsCert: flags.tlsCert }),
              ...(flags.tlsKey === undefined ? {} : { tlsKey: flags.tlsKey }),
            },
            io.env,
          )
        : undefined;
      const clash = gateway?.upstreams.find((u) => SERVER_SEGMENTS.includes(u.name));
      if (clash !== undefined) throw badArgument(`the upstream "${clash.name}" would hide the dashboard's /${clash.name} path`, 'rename it in the config to serve it with --gateway');
      return {
        access,
        gateway,
        gatewayNs: resolveNamespace(flags.namespace, 'gateway', io.env, loaded.config.namespace),
        recordNs: resolveNamespace(flags.namespace, 'sync', io.env, loaded.config.namespace),
      };
    },
    async (ws, { access, gateway: gatewaySetting, gatewayNs, recordNs }) => {
      const say = (line: string): void => void io.stderr.write(`${terminalText(line)}\n`);
      const served = ledgerServer({
        app: ws,
        env,
        now: () => io.now(),
        access,
        log: say,
        ...(tuning.pollMs === undefined ? {} : { pollMs: tuning.pollMs }),
        ...(tuning.keepAliveMs === undefined ? {} : { keepAliveMs: tuning.keepAliveMs }),
        ...(tuning.dashboardDir === undefined ? {} : { dashboardDir: tuning.dashboardDir }),
      });
      const guard = guardOptions(ws);
      let gateway: Gateway | undefined;
      let follower: Follower | undefined;
      let outbox: AlertOutbox | undefined;
      let serve: Serve | undefined;
      let receiver: OtlpReceiver | undefined;
      let receiverWs: Workspace | undefined;
      let stopped: ExitCode = EXIT.ok;
      try {
        if (gatewaySetting !== undefined) {
          const ledger = ws.ledger as GatewayLedgerHandle;
          gateway = new Gateway({
            settings: gatewaySetting,
            ledger,
            writes: await openWrites(ws.location, ledger, ws.recorder, { timeZone: guard.clock.timeZone, startOfWeek: guard.startOfWeek, thresholds: guard.thresholds }, tuning.writerScript),
            namespace: gatewayNs,
            pricer: ws.pricer,
            periods: { clock: guard.clock, startOfWeek: guard.startOfWeek },
            now: () => io.now(),
            log: say,
          });
        }
        await served.start();
        // OTLP first: it claims three exact /v1/ paths and POST /, the gateway every other /v1/ path.
        const mounts: Mount[] = [];
        if (otlp !== undefined) {
          receiverWs = await receiverWorkspace(ws);
          receiver = receiverFor(receiverWs, otlp, 'tokenledger serve (OTLP)', say, flags.verbose, flags.namespace);
          mounts.push(otlpMount(receiver));
        }
        if (gateway !== undefined) {
          const g = gateway;
          mounts.push({ handler: () => g.handler(), claims: (_method, path) => g.claims(path), stop: () => g.stop() });
        }
        serve = new Serve({ listen, tls, app: served.app, mounts });
        const { url } = await serve.start();
        if (flags.watch) {
          const reporter = syncReporter(ws, flags.verbose, say);
          // Budget crossings are announced as `watch` announces them (stderr, the configured webhook), each once.
          const alerts = ws.loaded.config.alerts ?? {};
          outbox = new AlertOutbox({
            ledger: ws.ledger,
            namespaces: [recordNs],
            guard,
            stderr: alerts.stderr ?? true,
            ...(alerts.webhook === undefined ? {} : { webhook: alerts.webhook }),
            say,
          });
          ({ follower } = followAgentLogs({
            ledger: ws.ledger,
            location: ws.location,
            pricer: ws.pricer,
            env: io.env,
            namespace: recordNs,
            ...(ws.loaded.config.sync?.skip === undefined ? {} : { skip: ws.loaded.config.sync.skip }),
            ...(flags.config === undefined ? {} : { configPath: flags.config }),
            guard,
            debounceMs: flags.debounceMs,
            rescanMs: tuning.rescanMs ?? 300_000,
            verbose: flags.verbose,
            onSynced: (report, only) => {
              reporter(report, only);
              // Open pages hear of it at once, not at the next poll.
              if (report.inserted + report.replaced > 0 || report.drops.length > 0) void served.changes.poke();
              if (only === undefined || report.inserted + report.replaced > 0) void outbox?.check();
            },
            say,
          }));
        }
        io.stdout.write(`tokenledger serve: dashboard and API on ${url}/\n`);
        say(
          `tokenledger serve: reading ${ws.ledger.location}${flags.watch ? ` and following the agents' logs into it (namespace ${recordNs})` : ''}` +
            `${gateway === undefined ? '' : `; the gateway on the same port (namespace ${gatewayNs})`}` +
            `${otlp === undefined ? '' : `; OTLP/HTTP on the same port (POST /v1/logs, /v1/metrics, /v1/traces and /; namespace ${recordNs}${otlp.token === undefined ? '' : ', with the bearer token'})`}` +
            `${access.readToken === undefined ? '' : '; reading needs the token'}${access.adminToken === undefined ? '; budget writes are off (no admin token)' : ''}. SIGINT or SIGTERM stops.`,
        );
        tuning.started?.(url);
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
        say('tokenledger serve: stopping');
      } finally {
        await follower?.stop();
        await outbox?.stop();
        served.stop();
        if (serve !== undefined) await serve.stop();
        if (receiverWs !== undefined && receiverWs.ledger !== ws.ledger) await receiverWs.ledger.close();
        stopped = gateway === undefined ? EXIT.ok : sayHowGatewayStopped(await gateway.stop(), 'tokenledger serve', say);
      }
      if (receiver !== undefined) say(`tokenledger serve: OTLP: ${receiver.counters.summary()}`);
      if (stopped === EXIT.ok) say('tokenledger serve: stopped');
      return stopped;
    },
  );
}

export const serveCommand: Runnable = {
  name: 'serve',
  summary: 'serve the dashboard and the JSON API over the ledger (with --watch, live from the agents’ logs; with --gateway, the gateway on the same port)',
  configure(command) {
    tlsOptions(
      ledgerOptions(command)
        .option('--listen <host:port>', `address to listen on (default ${DEFAULT_SERVE_LISTEN}); any other than loopback needs --token, and TLS or --allow-plain-http`)
        .option('--watch', 'follow the agents’ logs as `tokenledger watch` does: open pages update within a second of new usage')
        .option('--gateway', 'also serve the metering gateway (as `tokenledger gateway`, config "gateway") on the same port')
        .option('--otlp', 'also receive OTLP/HTTP from the agents (as `tokenledger otlp`) on the same port: POST /v1/logs, /v1/metrics, /v1/traces and /')
        .option('--token <token>', 'the token reading needs (default: $TOKENLEDGER_SERVE_TOKEN); required off loopback; the browser takes it once at /login?token=…')
        .option('--otlp-token <token>', 'with --otlp: the bearer token OTLP requests need (default: $TOKENLEDGER_OTLP_TOKEN, else the --token)')
        .option('--max-body <size>', `with --otlp: ${OTLP_OPTION_HELP.maxBody}`)
        .option('--metrics <agents>', `with --otlp: ${OTLP_OPTION_HELP.metrics}`),
    ).option('--debounce <ms>', 'with --watch: wait this long after a change before reading it', '30');
  },
  run(io, _args, flags) {
    return untilStopped(io.stderr, 'tokenledger serve: stopping, finishing requests in flight', (signal) => runServe(io, flags, signal));
  },
};
