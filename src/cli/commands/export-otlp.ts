import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { packageRoot } from '../../core/package-root.js';
import type { Ledger } from '../../ledger/ledger.js';
import { OPT_IN_ATTRIBUTES, type OptInAttribute } from '../../sinks/otel/metric-names.js';
import { otlpEndpoint } from '../../sinks/otel/otlp-endpoint.js';
import { otlpHeaders } from '../../sinks/otel/otlp-headers.js';
import { OtlpUsageExport, type OtlpProtocol, type OtlpSendReport, type OtlpTarget } from '../../sinks/otel/otlp-usage-export.js';
import type { Temporality } from '../../sinks/otel/usage-points.js';
import { terminalText } from '../../core/terminal-text.js';
import type { Io } from '../io.js';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const TEMPORALITIES: readonly Temporality[] = ['delta', 'cumulative'];

/** The `--otlp*` flags `export` and `watch` share, with their help. */
export const OTLP_FLAGS = {
  otlp: [
    '--otlp <url>',
    'send usage as OTLP metrics to this OTLP/HTTP base URL (/v1/metrics is added): the GenAI histogram gen_ai.client.token.usage, and exact counters tokenledger.usage.tokens, .requests and .cost (USD; the GenAI conventions have no cost attribute yet, nor cache token types); each request once: how far it got is kept in the ledger and moves only after a 2xx; headers from $OTEL_EXPORTER_OTLP_HEADERS (name=value,… percent-encoded, never printed), gzip with OTEL_EXPORTER_OTLP_COMPRESSION=gzip',
  ],
  protocol: ['--otlp-protocol <protocol>', 'http/protobuf or http/json (default: $OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf, the OpenTelemetry default for HTTP)'],
  temporality: [
    '--otlp-temporality <temporality>',
    'delta (default: each send carries what was recorded since the previous delivery) or cumulative (totals since the first delivery of this process, for watch)',
  ],
  attributes: [
    '--otlp-attributes <list>',
    `also label points with these, comma-separated: ${OPT_IN_ATTRIBUTES.join(', ')} (off by default: each value is a series the backend keeps, so sessions and keys multiply them without end)`,
  ],
  since: ['--otlp-since <date>', 'leave out usage that occurred before this day (YYYY-MM-DD, UTC) or time (ISO 8601); the first export otherwise sends all history'],
} as const;

/** Reads the `--otlp*` flags and OTLP variables, before the ledger is opened; undefined without `--otlp`. */
export function otlpTarget(flags: Record<string, unknown>, env: Io['env'], transport: { timeoutMs: number; retries: number }): OtlpTarget | undefined {
  const given = flags.otlp as string | undefined;
  const others = ['otlpProtocol', 'otlpTemporality', 'otlpAttributes', 'otlpSince'].filter((k) => flags[k] !== undefined);
  if (given === undefined) {
    if (others.length > 0) throw badArgument(`--${kebab(others[0] as string)} only applies with --otlp <url>`);
    return undefined;
  }
  const protocol = (flags.otlpProtocol as string | undefined) ?? env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol as OtlpProtocol))
    throw badArgument(`--otlp-protocol expects http/protobuf or http/json, got "${protocol}"`, 'gRPC is not supported: collectors accept OTLP/HTTP on port 4318.');
  const temporality = (flags.otlpTemporality as string | undefined) ?? 'delta';
  if (!TEMPORALITIES.includes(temporality as Temporality)) throw badArgument(`--otlp-temporality expects delta or cumulative, got "${temporality}"`);
  const compression = (env.OTEL_EXPORTER_OTLP_METRICS_COMPRESSION ?? env.OTEL_EXPORTER_OTLP_COMPRESSION ?? 'none').trim().toLowerCase();
  if (compression !== 'none' && compression !== 'gzip' && compression !== '') throw badArgument(`OTEL_EXPORTER_OTLP_COMPRESSION expects gzip or none, got "${compression}"`);
  const target: OtlpTarget = {
    endpoint: otlpEndpoint(given),
    protocol: protocol as OtlpProtocol,
    temporality: temporality as Temporality,
    attributes: optIn(flags.otlpAttributes as string | undefined),
    headers: otlpHeaders(env),
    gzip: compression === 'gzip',
    timeoutMs: transport.timeoutMs,
    retries: transport.retries,
  };
  const since = flags.otlpSince as string | undefined;
  if (since !== undefined) target.sinceMs = sinceMs(since);
  return target;
}

function optIn(text: string | undefined): OptInAttribute[] {
  if (text === undefined) return [];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!OPT_IN_ATTRIBUTES.includes(name as OptInAttribute)) throw badArgument(`--otlp-attributes: unknown attribute "${name}"`, `Choose among ${OPT_IN_ATTRIBUTES.join(', ')}.`);
  }
  return [...new Set(names)] as OptInAttribute[];
}

function sinceMs(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? Date.parse(`${text.trim()}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (!Number.isFinite(ms)) throw badArgument(`--otlp-since expects a day (YYYY-MM-DD, UTC) or an ISO 8601 time, got "${text}"`);
  return ms;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** tokenledger's version, for `service.version`. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** One exporter of a namespace's usage to the target. */
export function otlpExport(io: Io, ledger: Ledger, target: OtlpTarget, namespace: string): OtlpUsageExport {
  return new OtlpUsageExport({ ledger, target, namespace, version: packageVersion(), now: () => io.now() });
}

/** Says once, before anything is sent, that headers (a token, usually) would cross the network in clear. */
export function warnPlainHttp(io: Io, target: OtlpTarget): void {
  if (target.endpoint.plainRemote && Object.keys(target.headers).length > 0) {
    io.stderr.write(`tokenledger: warning: ${target.endpoint.shown} is plain http to another machine: the OTLP headers (and usage) cross the network unencrypted; use https\n`);
  }
}

/** One line about a send; a failure is the alert (exit 1): nothing moved, the next run sends it all again. */
export function otlpOutcome(io: Io, target: OtlpTarget, report: OtlpSendReport, say: (line: string) => void): ExitCode {
  const result = report.result;
  if (result === undefined) {
    say(`otlp: nothing new to send to ${target.endpoint.shown}`);
    return EXIT.ok;
  }
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  if (result.ok) {
    say(
      `otlp: sent ${report.events} request${report.events === 1 ? '' : 's'} as ${report.points} points (${report.bytes} bytes, ${target.protocol}) to ${target.endpoint.shown}: HTTP ${result.status} after ${attempts}`,
    );
    if (result.rejected !== undefined)
      io.stderr.write(
        `${terminalText(`tokenledger: otlp: the receiver rejected ${result.rejected} of the points${result.rejectedReason === undefined ? '' : `: ${result.rejectedReason}`}; they are not sent again`)}\n`,
      );
    return EXIT.ok;
  }
  io.stderr.write(
    `${terminalText(`tokenledger: otlp: not delivered to ${target.endpoint.shown} after ${attempts}: ${result.error ?? `HTTP ${result.status}`}; the next export sends the same usage again`)}\n`,
  );
  return EXIT.alert;
}
