import { anomalyReport } from './anomaly.js';
import { BLOCKS_REPORT } from './blocks.js';
import { budgetCheckReport, budgetsReport } from './budgets.js';
import { burnReport } from './burn.js';
import { counterfactualReport } from './counterfactual.js';
import { keysReport } from './keys.js';
import { optimizeReport } from './optimize.js';
import { DAILY_REPORT, MONTHLY_REPORT, WEEKLY_REPORT } from './period.js';
import { projectionReport } from './projection.js';
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
  budgetsReport,
  budgetCheckReport,
  keysReport,
  projectionReport,
  burnReport,
  anomalyReport,
  counterfactualReport,
  optimizeReport,
];

/** The report of that name, if any. */
export function findReport(name: string): JsonReport | undefined {
  return REPORTS.find((report) => report.name === name);
}
