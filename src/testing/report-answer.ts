import { openApp } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import type { ExitCode } from '../core/errors.js';
import { reportContext } from '../reports/context.js';
import { flagsFromQuery } from '../reports/query-flags.js';
import type { JsonReport } from '../reports/report.js';
import type { FixtureLedger } from './fixture-ledger.js';
import { FIXTURE_NOW, fixtureEnv } from './run-cli.js';

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
