import type { SessionReport } from '../../analytics/session-report.js';
import { modelBreakdowns, totalsJson, usageFields } from './usage-json.js';

export function sessionJson(report: SessionReport): unknown {
  return {
    sessions: report.rows.map((row) => ({
      sessionId: row.sessionId,
      projectPath: row.project,
      agent: row.agent,
      ...(row.user === undefined ? {} : { user: row.user }),
      ...(row.machine === undefined ? {} : { machine: row.machine }),
      firstActivity: new Date(row.firstActivity).toISOString(),
      lastActivity: new Date(row.lastActivity).toISOString(),
      ...usageFields(row.totals, 'totalCost'),
      modelsUsed: row.models.map((m) => m.name),
      modelBreakdowns: modelBreakdowns(row.models),
    })),
    totals: totalsJson(report.totals, report.unpricedModels),
  };
}
