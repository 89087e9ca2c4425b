import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
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

  it('is what the README lists between its api-reference marks', () => {
    const readme = readFileSync(`${packageRoot()}/README.md`, 'utf8');
    const listed = readme.split('<!-- api-reference:start -->\n')[1]?.split('<!-- api-reference:end -->')[0];
    expect(listed?.trim()).toBe(apiReferenceMarkdown(REPORTS).trim());
  });
});
