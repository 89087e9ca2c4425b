import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

let ledger: FixtureLedger;
beforeEach(() => (ledger = new FixtureLedger()));
afterEach(() => ledger.remove());

describe('detect', () => {
  it('shows control characters and bidi overrides in root paths escaped, never raw', async () => {
    const root = join(ledger.dir, 'claude\u001b]0;pwned\u0007\r\u202e');
    mkdirSync(root, { recursive: true });
    const r = await runCliOn(ledger, ['detect'], { env: { CLAUDE_CONFIG_DIR: root } });
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(r.stdout).toContain('claude\\x1b]0;pwned\\x07\\x0d\\u202e');
  });
});
