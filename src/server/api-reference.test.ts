import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { REPORTS } from '../reports/index.js';
import { apiReferenceMarkdown } from './api-reference.js';

describe('the API reference', () => {
  it('has a line per registered report, with its parameters, and the documentation has every line', () => {
    const reference = apiReferenceMarkdown(REPORTS);
    for (const report of REPORTS) expect(reference).toContain(`- \`GET /api/v1/${report.name}`);
    const docs = [join(packageRoot(), 'README.md'), join(packageRoot(), 'docs-drafts', 'serve.md')].map((path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    });
    const missing = reference.split('\n').filter((line) => line !== '' && !docs.some((doc) => doc.includes(line)));
    expect(missing, 'regenerate the reference with apiReferenceMarkdown(REPORTS)').toEqual([]);
  });
});
