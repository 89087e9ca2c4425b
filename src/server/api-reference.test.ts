import { describe, expect, it } from 'vitest';
import { REPORTS } from '../reports/index.js';
import { apiReferenceMarkdown } from './api-reference.js';

describe('the API reference', () => {
  it('has a line per registered report with its parameters, without the command line’s own options', () => {
    const reference = apiReferenceMarkdown(REPORTS);
    for (const report of REPORTS) expect(reference).toMatch(new RegExp(`^- \`GET /api/v1/${report.name}[\`/[]`, 'm'));
    expect(reference).not.toContain('`db=');
    expect(reference).not.toContain('`json`');
    expect(reference).toContain('POST /api/v1/budgets');
  });
});
