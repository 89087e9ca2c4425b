import { ANOMALY_REPORT } from './anomaly.js';
import { BLOCKS_REPORT } from './blocks.js';
import { BUDGET_CHECK_REPORT, BUDGETS_REPORT } from './budgets.js';
import { BURN_REPORT } from './burn.js';
import { COUNTERFACTUAL_REPORT } from './counterfactual.js';
import { KEYS_REPORT } from './keys.js';
import { OPTIMIZE_REPORT } from './optimize.js';
import { DAILY_REPORT, MONTHLY_REPORT, WEEKLY_REPORT } from './period.js';
import { PROJECTION_REPORT } from './projection.js';
import type { JsonReport } from './report.js';
import { SESSION_REPORT } from './session.js';
import { SUMMARY_REPORT } from './summary.js';

/** Every report the CLI prints with `--json` and the API answers under `/api/v1/<name>`: one line each. */
export const REPORTS: readonly JsonReport[] = [
  DAILY_REPORT,
  WEEKLY_REPORT,
  MONTHLY_REPORT,
  SESSION_REPORT,
  BLOCKS_REPORT,
  SUMMARY_REPORT,
  BUDGETS_REPORT,
  BUDGET_CHECK_REPORT,
  KEYS_REPORT,
  PROJECTION_REPORT,
  BURN_REPORT,
  ANOMALY_REPORT,
  COUNTERFACTUAL_REPORT,
  OPTIMIZE_REPORT,
];

/** The report of that name, if any. */
export function findReport(name: string): JsonReport | undefined {
  return REPORTS.find((report) => report.name === name);
}
