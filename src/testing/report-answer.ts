import { Command } from 'commander';
import { noteLine } from '../cli/report-context.js';
import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import type { ExitCode } from '../core/errors.js';
import { reportContext } from '../reports/context.js';
import { flagsFromQuery, queryArgv } from '../reports/query-flags.js';
import type { JsonReport } from '../reports/report.js';
import type { FixtureLedger, RecordedEvent } from './fixture-ledger.js';
import { type CliRun, FIXTURE_NOW, fixtureEnv, runCliOn } from './run-cli.js';

export interface AnsweredReport {
  /** The document as the CLI prints it and the API answers it: `JSON.stringify(document, null, 2)` and a newline. */
  text: string;
  document: unknown;
  exit: ExitCode;
  /** The notes the report gave, in order. */
  notes: string[];
}

/**
 * A report's answer over a fixture ledger for a query string, in the same environment and at the
 * same time as `runCliOn` runs the CLI: what the API answers, without a server.
 */
export async function answerOn(
  ledger: FixtureLedger,
  report: JsonReport,
  query: string,
  options: { args?: readonly string[]; env?: Record<string, string | undefined>; now?: number } = {},
): Promise<AnsweredReport> {
  const env = fixtureEnv(ledger, options.env);
  const flags = flagsFromQuery(report, query);
  const notes: string[] = [];
  const app = await openApp(loadConfig(undefined, env), undefined, env, () => {});
  try {
    const ctx = reportContext(app, { env, now: () => options.now ?? FIXTURE_NOW, note: (text) => notes.push(text) });
    const answer = await report.answer(ctx, flags, options.args ?? []);
    return { text: `${JSON.stringify(answer.document, null, 2)}\n`, document: answer.document, exit: answer.exit, notes };
  } finally {
    await app.ledger.close();
  }
}

/** Hand-made usage for report tests: two agents, two projects, three sessions, two users, an unpriced model, a block active at `FIXTURE_NOW`. */
export const REPORT_EVENTS: readonly RecordedEvent[] = [
  { occurredAt: Date.parse('2025-10-01T09:00:00Z'), inputTokens: 100, outputTokens: 20, cacheWrite5mTokens: 300, cacheReadTokens: 4_000, costNanos: 1_500_000 },
  { occurredAt: Date.parse('2025-10-01T10:00:00Z'), model: 'claude-opus-4-1', inputTokens: 10, outputTokens: 5, cacheWrite1hTokens: 50, costNanos: 2_000_000_001 },
  {
    occurredAt: Date.parse('2025-10-04T23:30:00Z'),
    project: '/home/dev/site',
    sessionId: 'session-2',
    inputTokens: 1,
    outputTokens: 2,
    costNanos: 7,
    recordedBy: { user: 'ana@laptop', machine: 'm-ana' },
  },
  {
    occurredAt: Date.parse('2025-10-07T08:00:00Z'),
    agent: 'codex-cli',
    provider: 'openai',
    model: 'gpt-5',
    sessionId: 'session-3',
    inputTokens: 1_000,
    outputTokens: 300,
    cacheReadTokens: 9_000,
    costNanos: 12_345_678,
  },
  { occurredAt: Date.parse('2025-10-09T22:00:00Z'), model: 'mystery-model', unpriced: true, inputTokens: 500, outputTokens: 50, costNanos: 0 },
  { occurredAt: Date.parse('2025-10-10T09:40:00Z'), inputTokens: 2_000, outputTokens: 400, cacheReadTokens: 30_000, costNanos: 45_000_000 },
  { occurredAt: Date.parse('2025-10-10T11:20:00Z'), sessionId: 'session-1', sidechain: true, inputTokens: 800, outputTokens: 90, costNanos: 9_000_000 },
];

/**
 * Runs report `report` both ways over a fixture ledger: the CLI (`<name> [args] <query as flags>
 * --json --no-sync`) and `answer` for the query string. Returns both, for a test to compare byte
 * for byte (stdout with the answer's text, stderr with its notes as the CLI writes them).
 */
export async function bothWays(ledger: FixtureLedger, report: JsonReport, query: string, args: readonly string[] = []): Promise<{ cli: CliRun; api: AnsweredReport }> {
  const cli = await runCliOn(ledger, cliArgs(report, query, args));
  const api = await answerOn(ledger, report, query, { args });
  return { cli, api };
}

/** The command line a query string stands for: `<name> [args] <query as flags> --json --no-sync`. */
export function cliArgs(report: JsonReport, query: string, args: readonly string[] = []): string[] {
  const command = new Command(report.name);
  report.configure(command);
  return [report.name, ...args, ...queryArgv(command, new URLSearchParams(query)), '--json', '--no-sync'];
}

/** The notes of an answer as the CLI writes them on stderr. */
export const notesText = (api: AnsweredReport): string => api.notes.map(noteLine).join('');
