import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { ingestDropFolder, type DropFolderOptions } from './drop-folder.js';
import type { RecordTarget } from './record.js';

const event = (extra: Record<string, unknown> = {}) => ({
  instance_id: 'inst-1',
  model: 'claude-sonnet-4-5',
  input_tokens: 1000,
  output_tokens: 100,
  cache_read_tokens: 50,
  cache_write_tokens: 10,
  ts: Date.now() * 1e6, // nanoseconds, as the writers send them
  ...extra,
});

let fixture: FixtureLedger;
let ledger: Ledger;
let target: RecordTarget;
let dir: string;
beforeEach(async () => {
  fixture = new FixtureLedger();
  ledger = await openLedger({ engine: 'sqlite', path: fixture.dbPath });
  target = { ledger, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] };
  dir = join(fixture.dir, 'drop');
  mkdirSync(dir);
});
afterEach(async () => {
  await ledger.close();
  fixture.remove();
});

const put = (name: string, body: unknown, ageMs = 10_000): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(path, at, at);
  return path;
};
const pass = (options: Partial<DropFolderOptions> = {}) => ingestDropFolder({ dir, target, ...options });
const list = (sub = ''): string[] => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : []);

describe('ingestDropFolder', () => {
  it('records *.json (an object or an array) and *.jsonl files, then moves them to processed/', async () => {
    put('a.json', event({ id: 'a1' }));
    put('b.json', [event(), event({ output_tokens: 5 }), { type: 'federation_spend', peerId: 'p', taskId: 't', tokensUsed: 9, usdSpent: 0.5, ts: new Date().toISOString() }]);
    put('c.jsonl', `${JSON.stringify(event({ id: 'c1' }))}\n\n${JSON.stringify(event({ id: 'c2' }))}\n`);
    put('.hidden.json', event());
    put('d.json.tmp', event());
    put('notes.txt', 'hello');
    mkdirSync(join(dir, 'sub.json'));
    const report = await pass();
    expect(report).toEqual({ files: 3, events: 6, inserted: 6, duplicates: 0, rejected: [], waiting: [] });
    expect(list()).toEqual(['.hidden.json', 'd.json.tmp', 'notes.txt', 'processed', 'sub.json']);
    expect(list('processed')).toEqual(['a.json', 'b.json', 'c.jsonl']);
    const events = await fixture.events();
    expect(events.map((e) => e.dedupKey.replace(/^drop:[0-9a-f]{32}:/, 'drop:<digest>:'))).toEqual(['drop:<digest>:0', 'drop:<digest>:1', 'ingest:ingest:a1', 'ingest:ingest:c1', 'ingest:ingest:c2']);
    expect(events[0]).toMatchObject({ agent: 'ingest', sessionId: 'inst-1', inputTokens: 1000, outputTokens: 100, cacheReadTokens: 50, cacheWrite5mTokens: 10 });
    expect((await ledger.peerSpend('cost-tracking', 0, Date.now() + 60_000)).map((p) => [p.peerId, p.usdNanos])).toEqual([['p', 500_000_000]]);
    expect(await pass()).toEqual({ files: 0, events: 0, inserted: 0, duplicates: 0, rejected: [], waiting: [] });
  });

  it('deletes recorded files with remove, and suffixes names already taken in processed/', async () => {
    put('a.json', event({ id: 'a1' }));
    await pass();
    put('a.json', event({ id: 'a2' }));
    await pass();
    put('a.json', event({ id: 'a3' }));
    await pass();
    expect(list('processed')).toEqual(['a.1.json', 'a.2.json', 'a.json']);
    put('b.json', event({ id: 'b1' }));
    expect(await pass({ remove: true })).toMatchObject({ files: 1, inserted: 1 });
    expect(list()).toEqual(['processed']);
    expect(await fixture.events()).toHaveLength(4);
  });

  it('moves a bad file to rejected/ with a .reason file, and records the good ones', async () => {
    put('bad.json', [event(), event({ input_tokens: -4 })]);
    put('broken.json', '{"model": "x", "input_tok');
    put('empty.json', '');
    put('lines.jsonl', `${JSON.stringify(event())}\n{"model":\n`);
    put('good.json', event({ id: 'g' }));
    const report = await pass({ now: () => Date.now() });
    expect(report.rejected).toEqual([
      { file: 'bad.json', reason: 'event 2: input_tokens must be a whole number ≥ 0, got -4' },
      { file: 'broken.json', reason: expect.stringMatching(/^not valid JSON \(/) },
      { file: 'empty.json', reason: 'the file is empty' },
      { file: 'lines.jsonl', reason: expect.stringMatching(/^line 2: not valid JSON \(/) },
    ]);
    expect(report).toMatchObject({ files: 1, events: 1, inserted: 1, waiting: [] });
    expect(list('rejected')).toEqual(['bad.json', 'bad.json.reason', 'broken.json', 'broken.json.reason', 'empty.json', 'empty.json.reason', 'lines.jsonl', 'lines.jsonl.reason']);
    expect(readFileSync(join(dir, 'rejected', 'bad.json.reason'), 'utf8')).toMatch(
      /^tokenledger refused bad\.json at \d{4}-\d\d-\d\dT[\d:.]+Z:\nevent 2: input_tokens must be a whole number ≥ 0, got -4\n$/,
    );
    // The refused file is kept as it was; nothing of it was recorded.
    expect(JSON.parse(readFileSync(join(dir, 'rejected', 'bad.json'), 'utf8'))).toHaveLength(2);
    expect((await fixture.events()).map((e) => e.dedupKey)).toEqual(['ingest:ingest:g']);
    expect((await fixture.read((l) => l.drops(100))).map(({ line, reason }) => ({ line, reason })).sort((a, b) => a.reason.localeCompare(b.reason))[0]).toEqual({
      line: 0,
      reason: 'event 2: input_tokens must be a whole number ≥ 0, got -4',
    });
    put('bad.json', { model: 'm' });
    expect((await pass()).rejected).toEqual([{ file: 'bad.json', reason: 'the event: input_tokens is required (a whole number ≥ 0)' }]);
    expect(list('rejected').slice(0, 2)).toEqual(['bad.1.json', 'bad.1.json.reason']);
  });

  it('leaves a file that is still being written for the next pass', async () => {
    const half = JSON.stringify([event({ id: 'h1' }), event({ id: 'h2' })]);
    put('half.json', half.slice(0, 40), 0);
    put('tail.jsonl', `${JSON.stringify(event({ id: 't1' }))}\n${JSON.stringify(event({ id: 't2' })).slice(0, 30)}`, 0);
    expect(await pass()).toEqual({ files: 0, events: 0, inserted: 0, duplicates: 0, rejected: [], waiting: ['half.json', 'tail.jsonl'] });
    expect(list()).toEqual(['half.json', 'tail.jsonl']);
    put('half.json', half, 0);
    put('tail.jsonl', `${JSON.stringify(event({ id: 't1' }))}\n${JSON.stringify(event({ id: 't2' }))}\n`, 0);
    expect(await pass()).toMatchObject({ files: 2, inserted: 4, waiting: [] });
  });

  it('counts a file once when it was recorded but not moved (a crash between the two)', async () => {
    const path = put('crash.json', [event(), event({ output_tokens: 1 })]);
    const keep = join(fixture.dir, 'copy.json');
    copyFileSync(path, keep);
    expect(await pass()).toMatchObject({ files: 1, inserted: 2 });
    copyFileSync(keep, path);
    expect(await pass()).toMatchObject({ files: 1, events: 2, inserted: 0, duplicates: 2 });
    expect(await fixture.events()).toHaveLength(2);
    expect(list('processed')).toEqual(['crash.1.json', 'crash.json']);
  });

  it('refuses a missing folder (exit 2) and names it', async () => {
    const error = await ingestDropFolder({ dir: join(dir, 'nope'), target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenledgerError);
    expect([(error as TokenledgerError).exitCode, (error as Error).message]).toEqual([2, `drop folder ${join(dir, 'nope')} does not exist`]);
  });
});
