import { EXIT, type ExitCode } from '../../core/errors.js';
import { parseListen, readTlsFiles, requireTlsOffLoopback } from '../../core/listen-address.js';
import { terminalText } from '../../core/terminal-text.js';
import { ledgerOptions } from '../../reports/options.js';
import { OtlpServer } from '../../server/otlp/otlp-server.js';
import type { Io } from '../io.js';
import { untilStopped } from '../stop-signals.js';
import { tlsOptions } from '../tls-options.js';
import { withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { exporterEnv, OTLP_BUSY_TIMEOUT_MS, OTLP_OPTION_HELP, otlpSettings, receiverFor } from './otlp-settings.js';

export const DEFAULT_OTLP_LISTEN = '127.0.0.1:4318';

/** What tests change: hearing where it listens. */
export interface OtlpTuning {
  started?: (url: string) => void;
}

/** Receives OTLP until `signal` aborts, then lets the requests in flight finish and says what it took. */
export async function runOtlp(io: Io, raw: Record<string, unknown>, signal: AbortSignal, tuning: OtlpTuning = {}): Promise<ExitCode> {
  const text = (name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);
  const listen = parseListen(text('listen') ?? DEFAULT_OTLP_LISTEN);
  const tls = readTlsFiles(text('tlsCert'), text('tlsKey'));
  requireTlsOffLoopback(listen, tls, raw.allowPlainHttp === true, 'the bearer token and the agents’ usage');
  const tokenEnv = io.env.TOKENLEDGER_OTLP_TOKEN;
  const token = text('token') ?? (tokenEnv === undefined || tokenEnv === '' ? undefined : tokenEnv);
  const settings = otlpSettings(raw, listen, token, '--token (or set TOKENLEDGER_OTLP_TOKEN)');
  const namespace = text('namespace');
  return withWorkspace(
    // A SQLite commit waits for another writer synchronously, holding every request: briefly, then 503.
    {
      ...(text('db') === undefined ? {} : { db: text('db') as string }),
      ...(text('config') === undefined ? {} : { config: text('config') as string }),
      busyTimeoutMs: OTLP_BUSY_TIMEOUT_MS,
    },
    io,
    () => undefined,
    async (ws) => {
      const say = (line: string): void => void io.stderr.write(`${terminalText(line)}\n`);
      const who = 'tokenledger otlp';
      const receiver = receiverFor(ws, settings, who, say, raw.verbose === true, namespace);
      const server = new OtlpServer(receiver, listen, tls);
      const { url } = await server.start();
      try {
        io.stdout.write(`${who}: listening on ${url}\n`);
        io.stdout.write(`${who}: point the agents' exporters here (http/protobuf or http/json; gRPC is not served):\n`);
        for (const line of exporterEnv(url, settings.token !== undefined)) io.stdout.write(`  ${line}\n`);
        say(
          `${who}: recording into ${ws.ledger.location}${settings.token === undefined ? '' : '; requests need the bearer token'}` +
            `${settings.metricsAgents.size === 0 ? '' : `; reading the metrics of ${[...settings.metricsAgents].join(', ')}`}. SIGINT or SIGTERM stops.`,
        );
        tuning.started?.(url);
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
        say(`${who}: stopping, finishing the requests in flight`);
      } finally {
        await server.stop();
      }
      say(`${who}: stopped; ${receiver.counters.summary()}`);
      return EXIT.ok;
    },
  );
}

export const otlpCommand: Runnable = {
  name: 'otlp',
  summary: 'receive the usage the agents export over OpenTelemetry (OTLP/HTTP, protobuf or JSON) and record it in the ledger',
  configure(command) {
    tlsOptions(
      ledgerOptions(command)
        .option('--listen <host:port>', `address to listen on (default ${DEFAULT_OTLP_LISTEN}, the OTLP/HTTP port); any other than loopback needs --token, and TLS or --allow-plain-http`)
        .option('--token <token>', 'the bearer token every request must carry (default: $TOKENLEDGER_OTLP_TOKEN; at least 16 characters); required off loopback'),
    )
      .option('--max-body <size>', OTLP_OPTION_HELP.maxBody)
      .option('--metrics <agents>', OTLP_OPTION_HELP.metrics);
    const verbose = command.options.find((o) => o.long === '--verbose');
    if (verbose !== undefined) verbose.description = 'one line per request taken (usage, new, ignored, rejected, unknown) and every rejected record with its reason';
  },
  run(io, _args, flags) {
    return untilStopped(io.stderr, 'tokenledger otlp: stopping, finishing requests in flight', (signal) => runOtlp(io, flags, signal));
  },
};
