import type { JsonReport } from './report.js';

/** Every report the CLI prints with `--json` and the API answers under `/api/v1/<name>`: one line each. */
export const REPORTS: readonly JsonReport[] = [];

/** The report of that name, if any. */
export function findReport(name: string): JsonReport | undefined {
  return REPORTS.find((report) => report.name === name);
}
