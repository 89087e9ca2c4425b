import type { JsonReport } from '../reports/report.js';
import { reportIndex } from './report-index.js';

/**
 * The README's API reference, from the registry: one line per endpoint with its parameters (the
 * reports' flags), then the endpoints that are not reports.
 */
export function apiReferenceMarkdown(reports: readonly JsonReport[]): string {
  const lines = reportIndex(reports).reports.map((entry) => {
    const params = entry.parameters.map((p) => `\`${p.name}${p.value === undefined ? '' : `=${p.value}`}\``).join(', ');
    return `- \`GET ${entry.path}\`${params === '' ? '' : `: ${params}`}`;
  });
  return [
    '- `GET /api/v1`: every endpoint below with its parameters, their descriptions and defaults (JSON)',
    ...lines,
    '- `POST /api/v1/budgets` (admin token): JSON body `{"usd": 50, "period": "month", "scope": "global"}`',
    '- `DELETE /api/v1/budgets` (admin token): `scope`, `period`',
    '- `GET /api/v1/events`: server-sent events, `ready` then `ledger` (`{"position": n}`) after every change',
    '',
  ].join('\n');
}
