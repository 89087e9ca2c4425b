import { buildExport } from '../../analytics/export-builder.js';
import type { ExportDocument } from '../../analytics/export-document.js';
import { mostSevere } from '../../budgets/evaluate.js';
import { budgetStatuses } from '../../budgets/statuses.js';
import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { prometheusText } from '../../sinks/prometheus/prometheus-text.js';
import { writeTextfileAtomic } from '../../sinks/prometheus/textfile.js';
import { parseWebhookHeaders } from '../../sinks/webhook/headers.js';
import { postWebhook } from '../../sinks/webhook/webhook.js';
import { runAnalysis, type Analysis } from '../analysis.js';
import type { Io } from '../io.js';
import { parseCount } from '../../app/numbers.js';
import { ledgerOptions, machineOption, userOption } from '../../reports/options.js';
import type { Runnable } from './command.js';
import { OTLP_FLAGS, otlpExport, otlpOutcome, otlpTarget, warnPlainHttp } from './export-otlp.js';
import type { OtlpTarget } from '../../sinks/otel/otlp-usage-export.js';

/**
 * Sessions listed by default: each is a series per session family in the textfile, and a Prometheus
 * series lives on for weeks in its storage, so an unbounded list grows its cardinality without end.
 */
export const DEFAULT_MAX_SESSIONS = 50;
/** A per-attempt timeout above this would only hide a dead receiver (and overflow timers far above it). */
const MAX_TIMEOUT_SECONDS = 3600;
/** With the doubling backoff from 0.5 s, the tenth retry already waits over four minutes. */
const MAX_RETRIES = 10;
const URL_HINT = 'Give a full address such as https://hooks.example.com/tokenledger.';

export interface WebhookTarget {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
}

export interface ExportOptions {
  prometheus?: string;
  webhook?: WebhookTarget;
  otlp?: OtlpTarget;
  maxSessions: number;
  quiet: boolean;
}

/** Reads every flag and variable, so that bad input is refused before the ledger is opened. */
export function exportOptions(flags: Record<string, unknown>, env: Io['env']): ExportOptions {
  const prometheus = flags.prometheus as string | undefined;
  if (prometheus !== undefined && prometheus.trim() === '')
    throw badArgument('--prometheus expects a file path, got an empty one', 'node_exporter reads *.prom files from its --collector.textfile.directory.');
  const url = flags.webhook as string | undefined;
  const options: ExportOptions = { maxSessions: parseCount(flags.maxSessions ?? String(DEFAULT_MAX_SESSIONS), '--max-sessions', 1), quiet: quiet(env.EXPORT_QUIET) };
  if (prometheus !== undefined) options.prometheus = prometheus;
  const transport = () => ({ timeoutMs: seconds(flags.timeout ?? '10', '--timeout') * 1000, retries: parseCount(flags.retries ?? '3', '--retries', 0, MAX_RETRIES) });
  const otlp = otlpTarget(flags, env, transport());
  if (otlp !== undefined) options.otlp = otlp;
  if (url !== undefined) {
    options.webhook = {
      url: webhookUrl(url),
      // Only read with --webhook: a variable meant for the webhook must not fail a textfile export.
      headers: parseWebhookHeaders(env.EXPORT_WEBHOOK_HEADER, 'EXPORT_WEBHOOK_HEADER'),
      ...transport(),
    };
  }
  return options;
}

/** `EXPORT_QUIET`: 1 or true silence the confirmations; unset, empty, 0 or false do not; anything else is a typo. */
function quiet(text: string | undefined): boolean {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '' || value === '0' || value === 'false') return false;
  throw badArgument(`EXPORT_QUIET expects 1 or true (0 or false to keep the confirmations), got "${text}"`);
}

/** The URL is not repeated in messages: webhook URLs often carry their secret in the path. */
function webhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badArgument('--webhook expects a full http or https URL; the one given is not a URL', URL_HINT);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badArgument(`--webhook expects an http or https URL, not ${url.protocol.slice(0, -1)}`, URL_HINT);
  return text;
}

/** Seconds, fractions allowed (0.3), above 0. */
function seconds(text: unknown, flag: string): number {
  const value = typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value <= MAX_TIMEOUT_SECONDS)) throw badArgument(`${flag} expects seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (fractions allowed, e.g. 2.5), got "${String(text)}"`);
  return value;
}

/** One snapshot of the namespace: every figure comes from the ledger in the same command. */
export async function exportDocument(a: Pick<Analysis, 'ws' | 'namespace' | 'guard' | 'now'> & Partial<Pick<Analysis, 'who'>>, maxSessions: number): Promise<ExportDocument> {
  const filter = { namespace: a.namespace, ...a.who };
  const [sessionRows, modelRows, userRows, sessions, statuses] = await Promise.all([
    a.ws.ledger.usage(filter, ['session', 'project', 'model', 'user']),
    a.ws.ledger.usage(filter, ['model']),
    a.ws.ledger.usage(filter, ['user']),
    a.ws.ledger.sessions(filter),
    budgetStatuses(a.ws.ledger, a.namespace, a.guard),
  ]);
  const worst = mostSevere(statuses);
  const budget =
    worst === undefined
      ? undefined
      : { period: worst.budget.period, scope: worst.budget.scope, amountNanos: worst.budget.amountNanos, spentNanos: worst.spentNanos, level: worst.level, setAt: worst.budget.setAt };
  return buildExport({ sessionRows, modelRows, userRows, sessions, budget, now: a.now, namespace: a.namespace, maxSessions });
}

/** Posts the document; a final answer other than 2xx is the alert (exit 1), reported even when quiet. */
async function deliver(io: Io, target: WebhookTarget, doc: ExportDocument, say: (line: string) => void): Promise<ExitCode> {
  const result = await postWebhook(target.url, doc, { headers: target.headers, timeoutMs: target.timeoutMs, retries: target.retries });
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  if (result.ok) {
    say(`webhook delivered: HTTP ${result.status} after ${attempts}`);
    return EXIT.ok;
  }
  io.stderr.write(`tokenledger: webhook not delivered after ${attempts}: ${result.error ?? `HTTP ${result.status}`}\n`);
  return EXIT.alert;
}

export const exportCommand: Runnable = {
  name: 'export',
  summary: 'a snapshot of spend for monitoring: JSON on stdout, a Prometheus textfile (--prometheus), a webhook (--webhook) and/or OTLP metrics (--otlp)',
  configure(command) {
    ledgerOptions(command)
      .option('--prometheus <path>', "write a textfile for node_exporter's textfile collector (atomically: a temporary file, then a rename)")
      .option('--webhook <url>', "POST the JSON document to this http(s) URL; headers from $EXPORT_WEBHOOK_HEADER ('Name: value, Other: value')")
      .option('--max-sessions <n>', 'sessions exported one by one, the most recently active (bounds the Prometheus series); totals always cover every session', String(DEFAULT_MAX_SESSIONS))
      .option(...OTLP_FLAGS.otlp)
      .option(...OTLP_FLAGS.protocol)
      .option(...OTLP_FLAGS.temporality)
      .option(...OTLP_FLAGS.attributes)
      .option(...OTLP_FLAGS.since)
      .option('--timeout <seconds>', 'webhook and OTLP: seconds to wait for each attempt (fractions allowed)', '10')
      .option('--retries <n>', 'webhook and OTLP: retries after timeouts, network errors and 429 or 5xx (OTLP: 429, 502, 503, 504), backoff 0.5 s doubling', '3')
      .addOption(userOption())
      .addOption(machineOption())
      .option('-z, --timezone <zone>', 'IANA time zone for budget periods (default: config "timezone", else the system zone)')
      .option('--no-sync', 'use the ledger as it is, without reading new agent logs');
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'export',
      flags,
      io,
      () => exportOptions(flags, io.env),
      async (a, options) => {
        const say = (line: string): void => {
          if (!options.quiet) io.stderr.write(`${line}\n`);
        };
        // OTLP first: it reads the ledger's changes, not the snapshot, and its outcome joins the others'.
        let otlpExit: ExitCode = EXIT.ok;
        if (options.otlp !== undefined) {
          warnPlainHttp(io, options.otlp);
          const report = await otlpExport(io, a.ws.ledger, options.otlp, a.namespace).send();
          otlpExit = otlpOutcome(io, options.otlp, report, say);
          if (options.prometheus === undefined && options.webhook === undefined) return otlpExit;
        }
        const doc = await exportDocument(a, options.maxSessions);
        if (options.prometheus === undefined && options.webhook === undefined) {
          a.json(doc);
          return EXIT.ok;
        }
        // Each target is tried whatever befalls the other; a textfile that cannot be written (exit 4)
        // is reported once the webhook has had its chance.
        let textfileError: unknown;
        if (options.prometheus !== undefined) {
          try {
            const text = prometheusText(doc);
            writeTextfileAtomic(options.prometheus, text);
            const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
            say(`wrote ${series} series to ${options.prometheus}`);
          } catch (error) {
            textfileError = error;
          }
        }
        const exit = options.webhook === undefined ? EXIT.ok : await deliver(io, options.webhook, doc, say);
        if (textfileError !== undefined) throw textfileError;
        return exit === EXIT.ok ? otlpExit : exit;
      },
    );
  },
};
