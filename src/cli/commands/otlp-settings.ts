import { parseByteSize } from '../../app/byte-size.js';
import { withBusyTimeout } from '../../ledger/location.js';
import { badArgument } from '../../core/errors.js';
import { isLoopback, type ListenAddress } from '../../core/listen-address.js';
import { OTEL_AGENTS } from '../../intake/otel/agents/index.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { DEFAULT_MAX_BODY_BYTES, OtlpReceiver } from '../../server/otlp/otlp-receiver.js';
import { recordTarget, reportCrossings, type Workspace } from '../workspace.js';

/** What `otlp` and `serve --otlp` read of their flags for the receiver. */
export interface OtlpSettings {
  token: string | undefined;
  maxBodyBytes: number;
  metricsAgents: ReadonlySet<string>;
}

/**
 * How long the receiver's commit waits for another writer of a SQLite ledger (a sync, `watch`).
 * The engine waits synchronously, holding every other request of the process meanwhile: after 1 s
 * the request is answered 503 with `Retry-After: 1` and the exporter sends it again, rather than
 * every agent's request waiting out the 15 s a sync would.
 */
export const OTLP_BUSY_TIMEOUT_MS = 1_000;

/**
 * What the receiver inside `serve --otlp` records through: on a SQLite ledger, a handle of its own
 * whose writes wait at most `OTLP_BUSY_TIMEOUT_MS` (the caller closes it after the server stops);
 * on PostgreSQL, whose waits do not hold the process, the server's own.
 */
export async function receiverWorkspace(ws: Workspace): Promise<Workspace> {
  if (ws.location.engine !== 'sqlite') return ws;
  const location = withBusyTimeout(ws.location, OTLP_BUSY_TIMEOUT_MS);
  return { ...ws, location, ledger: await openLedger(location, { recorder: ws.recorder }) };
}

/** The cap `--max-body` may set: from 64 KiB (one export batch) to 256 MiB. */
const MAX_BODY_BOUNDS = [64 * 1024, 256 * 1024 * 1024] as const;

/**
 * Reads `--max-body` and `--metrics` and checks the token: at least 16 characters, and required on
 * any address other than loopback (`tokenFlags` names where it comes from, for the hint).
 */
export function otlpSettings(raw: Record<string, unknown>, listen: ListenAddress, token: string | undefined, tokenFlags: string): OtlpSettings {
  if (token !== undefined && token.length < 16) throw badArgument('the OTLP token must be at least 16 characters long');
  if (token === undefined && !isLoopback(listen.host)) {
    throw badArgument(`receiving OTLP on ${listen.host} needs a token: anyone who can reach the address could write usage into the ledger`, `give ${tokenFlags}, or listen on 127.0.0.1`);
  }
  const maxBodyBytes = raw.maxBody === undefined ? DEFAULT_MAX_BODY_BYTES : parseByteSize(raw.maxBody, '--max-body', ...MAX_BODY_BOUNDS);
  return { token, maxBodyBytes, metricsAgents: metricsAgents(raw.metrics) };
}

/** `--metrics claude-code,codex` → the agent ids whose metrics are read; each must be one whose metrics tokenledger can read. */
function metricsAgents(flag: unknown): ReadonlySet<string> {
  if (typeof flag !== 'string') return new Set();
  const readable = OTEL_AGENTS.filter((a) => a.fromSeries !== undefined).map((a) => a.agent);
  const chosen = new Set<string>();
  for (const name of flag.split(',').map((n) => n.trim().toLowerCase())) {
    if (name === '') continue;
    const agent = readable.find((id) => id === name || id.split('-')[0] === name);
    if (agent === undefined)
      throw badArgument(`--metrics: "${name}" is not an agent whose metrics tokenledger reads`, readable.length === 0 ? 'no agent’s metrics can be read yet' : `choose from ${readable.join(', ')}`);
    chosen.add(agent);
  }
  return chosen;
}

/** The receiver over a workspace: recording into the sync partition, budget crossings announced after each commit. */
export function receiverFor(ws: Workspace, settings: OtlpSettings, who: string, say: (line: string) => void, verbose: boolean, namespaceFlag?: string): OtlpReceiver {
  const { target, crossings } = recordTarget(ws, namespaceFlag);
  return new OtlpReceiver({
    intake: { target, agents: OTEL_AGENTS, metricsAgents: settings.metricsAgents },
    token: settings.token,
    maxBodyBytes: settings.maxBodyBytes,
    log: say,
    verbose,
    who,
    onTaken: () => reportCrossings(ws, crossings),
  });
}

/** The environment an agent's exporter needs to send here (the token itself is never printed). */
export function exporterEnv(url: string, withToken: boolean): string[] {
  return [`OTEL_EXPORTER_OTLP_ENDPOINT=${url}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf', ...(withToken ? ['OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <the token>"'] : [])];
}

/** The `--max-body` and `--metrics` options, shared by `otlp` and `serve --otlp`. */
export const OTLP_OPTION_HELP = {
  maxBody: `largest request body taken, as sent and decompressed: bytes, KiB or MiB (default 4MiB); a larger one is answered 413`,
  metrics: 'also read these agents’ metrics, comma-separated (off by default: agents export events too, and reading both counts usage twice)',
} as const;
