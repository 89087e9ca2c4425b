import { analysisScope, type AnalysisScope } from './analysis-scope.js';
import type { ReportContext } from './report.js';

/** What an analysis report reads with: the report's context, and the scope its flags name. */
export interface AnalysisContext extends AnalysisScope {
  ctx: ReportContext;
}

/** Reads the flags every analysis shares (noting filters that match nothing); `command` names the `<COMMAND>_NAMESPACE` variable. */
export async function analysisContext(ctx: ReportContext, flags: Record<string, unknown>, command: string): Promise<AnalysisContext> {
  return { ...(await analysisScope(ctx, command, flags)), ctx };
}
