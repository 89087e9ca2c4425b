import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

let ledger: FixtureLedger;
let temp: string;
beforeEach(() => {
  ledger = new FixtureLedger();
  temp = mkdtempSync(join(tmpdir(), 'tokenledger-demo-test-'));
});
afterEach(() => {
  ledger.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('demo', () => {
  it('with --json --keep, names the sample folder in the JSON and on stderr', async () => {
    const r = await runCliOn(ledger, ['demo', '--json', '--keep']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    try {
      expect(body.daily.length).toBeGreaterThan(0);
      expect(body.sample.kept).toBe(true);
      expect(body.sample.folder.startsWith(join(tmpdir(), 'tokenledger-demo-'))).toBe(true);
      expect(existsSync(join(body.sample.folder, 'ledger.db'))).toBe(true);
      expect(r.stderr).toContain(`The sample stays in ${body.sample.folder}.`);
    } finally {
      rmSync(body.sample.folder, { recursive: true, force: true });
    }
  });

  it('removes its sample folder when interrupted with Ctrl-C, and still ends by SIGINT', async () => {
    const bin = join(packageRoot(), 'bin', 'tokenledger');
    if (!existsSync(join(packageRoot(), 'dist', 'tokenledger.mjs'))) throw new Error('build first: npm run build');
    const child = spawn(process.execPath, [bin, 'demo'], { env: { ...process.env, TMPDIR: temp, TOKENLEDGER_SYNC_BATCH: '1' }, stdio: 'ignore' });
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Interrupt once the sample is written and its sync has begun.
    const started = (): boolean => readdirSync(temp).some((name) => existsSync(join(temp, name, 'ledger.db')));
    while (!started()) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(readdirSync(temp)).toEqual([]);
  }, 60_000);
});
