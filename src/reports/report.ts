import type { Command } from 'commander';
import type { ExitCode } from '../core/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { Ledger, LocalDays } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Env } from '../sources/shared/roots.js';

/**
 * What a report reads with: the config, the ledger and the prices in force, the environment and
 * the clock. The CLI builds one per command run (after its sync); the server builds one per
 * request over the ledger it serves. Reports never write, except `prepareDays` (see the ledger).
 */
export interface ReportContext {
  loaded: LoadedConfig;
  ledger: Ledger;
  pricer: Pricer;
  env: Env;
  /** Epoch ms. */
  now(): number;
  /**
   * A note for the reader that is not part of the document (an unpriced model, a filter that
   * matched nothing): the CLI writes it to stderr, the API answers it in a header.
   */
  note(text: string): void;
  /** Brings the ledger's day sums for `zone` up to date before `days` reads them (never waits on a writer). */
  prepareDays(zone: LocalDays): Promise<void>;
}

/** The JSON a report answers, and the exit code the CLI ends with for it. */
export interface ReportAnswer {
  /** Printed by the CLI as `JSON.stringify(document, null, 2)` and a newline, and answered by the API as exactly those bytes. */
  document: unknown;
  exit: ExitCode;
}

/**
 * A report both the CLI (`tokenledger <name> --json`) and the API (`GET /api/v1/<name>`) answer
 * with one JSON document, built by `answer` alone. Its flags are declared once, by `configure`:
 * the CLI parses its command line with them, the API parses the query string with them (each
 * query parameter is the flag of the same long name: `?since=2026-11-01&breakdown`), so values,
 * defaults and errors are the same. The registry is `reports/index.ts`.
 */
export interface JsonReport {
  /** The command's name and the API's path segment (`daily`, `session`, `budget`, …). */
  readonly name: string;
  /** Positional arguments, as the API takes them from the path (`/api/v1/session/<id>`); absent: none. */
  readonly args?: readonly string[];
  /**
   * Declares the report's flags on a command (options only), as its `--help` shows them. Options
   * that only mean something on the command line (`--db`, `--config`, `--json`, `--format`,
   * `--no-sync`, `--verbose`) are declared with `localOption` (`ledgerOptions`, `formatOptions` and
   * `noSyncOption` do): the API refuses them as query parameters (`reports/query-flags.ts`).
   */
  configure(command: Command): void;
  /** Reads the ledger and builds the document for parsed flags and arguments. */
  answer(ctx: ReportContext, flags: Record<string, unknown>, args: readonly string[]): Promise<ReportAnswer>;
}
