import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const line = (extra: Record<string, unknown> = {}): string => JSON.stringify({ model: 'claude-sonnet-4-5', input_tokens: 1000, output_tokens: 100, ts: '2025-10-10T11:00:00Z', ...extra });

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const cli = (args: string[], stdin?: string, now = NOW) => runCliOn(ledger, args, { now, ...(stdin === undefined ? {} : { stdin }) });

describe('tokenledger ingest (JSON lines)', () => {
  it('records stdin, reports bad lines with their line numbers, exits 3 when any was dropped', async () => {
    const input = [line({ id: '1' }), 'nope', line({ id: '2', model: '' }), line({ id: '3', output_tokens: -1 }), line({ id: '4', ts: 5 }), line({ id: '5' })].join('\n');
    const r = await cli(['ingest'], input);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^dropped stdin:2: not valid JSON \(/),
      'dropped stdin:3: model must not be empty, got ""',
      'dropped stdin:4: output_tokens must be a whole number ≥ 0, got -1',
      '… and 1 more (run with --verbose to list them all)',
      'ingest stdin: 6 lines read: 2 events (2 new, 0 already recorded), 4 lines dropped.',
      '',
    ]);
    const verbose = await cli(['ingest', '-', '--verbose'], input);
    expect(verbose.stderr).toContain('dropped stdin:5: ts is before 2000-01-01 (read as epoch seconds), got 5\n');
    expect(verbose.stderr).toContain('ingest stdin: 6 lines read: 2 events (0 new, 2 already recorded), 4 lines dropped.\n');
    expect((await ledger.events()).map((e) => e.dedupKey)).toEqual(['ingest:ingest:1', 'ingest:ingest:5']);
  });

  it('records a file once however often it is ingested, and prints counts as JSON', async () => {
    const file = ledger.write(
      'events.jsonl',
      `${[line(), line({ output_tokens: 5 }), JSON.stringify({ type: 'federation_spend', peerId: 'p', taskId: 't', tokensUsed: 10, usdSpent: 0.02, ts: NOW })].join('\n')}\n`,
    );
    const first = await cli(['ingest', file, '--json']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(JSON.parse(first.stdout)).toEqual({
      source: file,
      lines: 3,
      events: 2,
      inserted: 2,
      duplicates: 0,
      federation: { reports: 1, inserted: 1, updated: 0, unchanged: 0 },
      dropped: 0,
      firstDrops: [],
    });
    const second = await cli(['ingest', file]);
    expect([second.code, second.stderr]).toEqual([0, `ingest ${file}: 3 lines read: 2 events (0 new, 2 already recorded), 1 federation report (0 new, 0 raised, 1 unchanged).\n`]);
    expect(await ledger.events()).toHaveLength(2);
  });

  it('refuses a missing file or a folder (exit 2) and mixed flags before touching the ledger', async () => {
    const missing = await cli(['ingest', join(ledger.dir, 'nope.jsonl')]);
    expect([missing.code, missing.stderr]).toEqual([2, `tokenledger: cannot read ${join(ledger.dir, 'nope.jsonl')}: no such file\n`]);
    expect((await cli(['ingest', ledger.dir])).stderr).toBe(`tokenledger: ${ledger.dir} is not a file\n  hint: to take the event files of a folder, use --drop-dir\n`);
    expect((await cli(['ingest', '--delete'], '')).stderr).toBe('tokenledger: --delete applies only with --drop-dir\n');
    expect((await cli(['ingest', '--tool', 'gemini'], '')).stderr).toBe('tokenledger: --tool applies only with --text\n');
    expect((await cli(['ingest', '--text'], '')).stderr).toMatch(/^tokenledger: --text needs --tool/);
    expect((await cli(['ingest', 'x.jsonl', '--drop-dir', ledger.dir])).stderr).toBe('tokenledger: give either a FILE or --drop-dir, not both\n');
    expect(existsSync(ledger.dbPath)).toBe(false);
  });

  it('records into --namespace and reports the budget levels its commits cross', async () => {
    expect((await cli(['budget', 'set', '0.01', '--period', 'all', '--namespace', 'team'])).code).toBe(0);
    const r = await cli(['ingest', '--namespace', 'team'], `${line({ id: 'big', input_tokens: 100_000 })}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^budget HARD_STOP/m);
    expect([...new Set((await ledger.events()).map((e) => e.namespace))]).toEqual(['team']);
  });

  it('hands --text input to the text reader of the tool named', async () => {
    const r = await cli(['ingest', '--text', '--tool', 'gemini', '--model', 'gemini-2.5-flash', '--session', 's1', '--project', '/p'], 'Token count: 1,234 input, 567 output\n');
    expect(r.code, r.stderr).toBe(0);
    expect((await ledger.events()).map((e) => [e.sessionId, e.project, e.model, e.inputTokens, e.outputTokens])).toEqual([['s1', '/p', 'gemini-2.5-flash', 1234, 567]]);
  });

  it('reads standard input of a real process', async () => {
    const bin = join(packageRoot(), 'bin', 'tokenledger');
    const env = { ...process.env, ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config') };
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'ingest'], { env });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
      child.stdin.end(`${line({ id: 'a', ts: new Date().toISOString() })}\n${line({ id: 'b', ts: Date.now() })}\n`);
    });
    expect(result).toEqual({ code: 0, stderr: 'ingest stdin: 2 lines read: 2 events (2 new, 0 already recorded).\n' });
  });
});

describe('tokenledger ingest --drop-dir', () => {
  it('takes the folder once: processed/, rejected/ with a reason, exit 3 when a file was rejected', async () => {
    const dir = join(ledger.dir, 'drop');
    mkdirSync(dir);
    const now = Date.now();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ instance_id: 'i', model: 'gpt-5', input_tokens: 10, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0, ts: now * 1e6 }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ model: 'gpt-5', input_tokens: 10, output_tokens: 2, ts: now, colour: 'red' }));
    const r = await cli(['ingest', '--drop-dir', dir], undefined, now + 5000);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `rejected b.json: the event: colour is not a field of this record (allowed: type, id, agent, provider, model, session_id, instance_id, project, ts, input_tokens, output_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens, cache_write_5m_tokens, cache_write_1h_tokens, service_tier, meta; put your own data under "meta"), got "red"\n` +
        `ingest ${dir}: 1 file recorded (1 event: 1 new, 0 already recorded), 1 rejected (see rejected/*.reason).\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(['processed', 'rejected']);
    expect(readdirSync(join(dir, 'rejected')).sort()).toEqual(['b.json', 'b.json.reason']);
    writeFileSync(join(dir, 'c.json'), JSON.stringify([]));
    const json = await cli(['ingest', '--drop-dir', dir, '--json', '--delete'], undefined, now + 5000);
    expect([json.code, JSON.parse(json.stdout)]).toEqual([0, { dir, files: 1, events: 0, inserted: 0, duplicates: 0, rejected: [], waiting: [] }]);
    expect(readdirSync(join(dir, 'processed'))).toEqual(['a.json']);
  });

  it('refuses a missing folder with exit 2', async () => {
    const r = await cli(['ingest', '--drop-dir', join(ledger.dir, 'none')]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `tokenledger: drop folder ${join(ledger.dir, 'none')} does not exist\n  hint: create it (mkdir -p) or give the folder your tools write their event files to\n`,
    ]);
  });
});
