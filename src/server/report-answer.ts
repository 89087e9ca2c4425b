import type { JsonReport, ReportContext } from '../reports/report.js';
import { apiError, errorAnswer, errorResponse } from './api-error.js';

/** Parses a query string into a report's flags, with the report's own declarations, values, defaults and errors. */
export type QueryFlags = (report: JsonReport, query: URLSearchParams) => Record<string, unknown>;

/** What the API answers reports with. */
export interface ReportServing {
  reports: readonly JsonReport[];
  queryFlags: QueryFlags;
  /** A context over the served ledger for one request; its notes go to `note`. */
  context(note: (text: string) => void): ReportContext;
  /** Said when a report fails for a reason of the server's (not the request's). */
  log?(line: string): void;
}

/** The header that carries a report's notes: a JSON array of strings. */
export const NOTES_HEADER = 'x-tokenledger-notes';
/** The exit code the CLI would end with for the same report (1: an alert fired). */
export const EXIT_HEADER = 'x-tokenledger-exit';

/**
 * `GET /api/v1/<report>[/<arg>…]`: the report's document, as exactly the bytes `tokenledger
 * <report> --json` prints for the same flags; its notes in `x-tokenledger-notes`.
 */
export async function answerReport(serving: ReportServing, name: string, args: readonly string[], query: URLSearchParams): Promise<Response> {
  const report = serving.reports.find((r) => r.name === name);
  if (report === undefined) return errorResponse(apiError(404, 'NOT_FOUND', `no report named ${JSON.stringify(name)}: GET /api/v1 lists them`));
  const wanted = report.args?.length ?? 0;
  if (args.length > wanted) return errorResponse(apiError(404, 'NOT_FOUND', `${name} takes ${wanted === 0 ? 'no path argument' : `at most ${wanted} path argument(s)`}`));
  const notes: string[] = [];
  try {
    const flags = serving.queryFlags(report, query);
    // Each note once, as the CLI writes them.
    const answer = await report.answer(
      serving.context((text) => {
        if (!notes.includes(text)) notes.push(text);
      }),
      flags,
      args,
    );
    return new Response(`${JSON.stringify(answer.document, null, 2)}\n`, {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        [NOTES_HEADER]: headerJson(notes),
        [EXIT_HEADER]: String(answer.exit),
      },
    });
  } catch (error) {
    const failure = errorAnswer(error);
    if (failure.status === 500) serving.log?.(`tokenledger serve: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    const response = errorResponse(failure);
    response.headers.set(NOTES_HEADER, headerJson(notes));
    return response;
  }
}

/** JSON a header may carry: every character outside printable ASCII escaped as `\uXXXX`. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
