import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { FixtureLedger, fixture } from '../testing/fixture-ledger.js';
import { runCliOn, type CliRun } from '../testing/run-cli.js';

const claudeFixture = (name: string): string => fixture(new URL('../sources/claude-code/claude-code.test.ts', import.meta.url).href, name);

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
  ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', claudeFixture('streaming.jsonl'));
  ledger.write('claude/projects/-home-dev-app/sess-2.jsonl', claudeFixture('cache-ttl.jsonl').replaceAll('sess-1', 'sess-2'));
});
afterEach(() => ledger.remove());

const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> => runCliOn(ledger, args, { env });

const json = async (args: string[], env?: Record<string, string | undefined>): Promise<Record<string, any>> => {
  const r = await cli([...args, '--json', '--timezone', 'UTC'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, any>;
};

describe('reports', () => {
  it('runs daily by default and keeps the JSON keys tools built on ccusage read', async () => {
    const out = await json([]);
    expect(Object.keys(out)).toEqual(['daily', 'totals']);
    expect(out.daily.map((d: any) => d.date)).toEqual(['2025-10-01', '2025-10-05']);
    const day = out.daily[0];
    for (const key of ['date', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens', 'totalCost', 'modelsUsed', 'modelBreakdowns']) {
      expect(day).toHaveProperty(key);
    }
    expect(day.modelBreakdowns[0]).toEqual(expect.objectContaining({ modelName: 'claude-sonnet-4-5-20250929', inputTokens: 8, outputTokens: 201, cacheCreationTokens: 1500, cacheReadTokens: 41_000 }));
    expect(day.totalCost).toBeCloseTo((12_144_000 + 8_820_000) / 1e9, 12);
    expect(out.totals).toEqual(expect.objectContaining({ inputTokens: 28, totalTokens: out.daily.reduce((s: number, d: any) => s + d.totalTokens, 0), unpricedModels: [] }));
  });

  it('has weekly, monthly and session reports with their keys', async () => {
    expect((await json(['weekly'])).weekly.map((w: any) => w.week)).toEqual(['2025-09-29']);
    expect((await json(['weekly', '--start-of-week', 'sunday'])).weekly.map((w: any) => w.week)).toEqual(['2025-09-28', '2025-10-05']);
    expect((await json(['monthly'])).monthly.map((m: any) => m.month)).toEqual(['2025-10']);
    const sessions = await json(['session']);
    expect(sessions.sessions.map((s: any) => [s.sessionId, s.projectPath, s.agent])).toEqual([
      ['sess-1', '/home/dev/app', 'claude-code'],
      ['sess-2', '/home/dev/app', 'claude-code'],
    ]);
    expect(sessions.sessions[0]).toEqual(expect.objectContaining({ firstActivity: '2025-10-01T10:00:05.200Z', lastActivity: '2025-10-01T10:00:09.000Z' }));
  });

  it('filters by date range, agent, project, and keeps the last N periods', async () => {
    expect((await json(['--since', '20251002'])).daily.map((d: any) => d.date)).toEqual(['2025-10-05']);
    expect((await json(['--until', '2025-10-01'])).daily.map((d: any) => d.date)).toEqual(['2025-10-01']);
    expect((await json(['--agent', 'codex'])).daily).toEqual([]);
    expect((await json(['--agent', 'claude'])).daily).toHaveLength(2);
    expect((await json(['--project', 'app'])).daily).toHaveLength(2);
    expect((await json(['--project', '/elsewhere'])).daily).toEqual([]);
    expect((await json(['--last', '7'])).daily.map((d: any) => d.date)).toEqual(['2025-10-05']);
    expect((await json(['--order', 'desc'])).daily.map((d: any) => d.date)).toEqual(['2025-10-05', '2025-10-01']);
    const grouped = await json(['--instances']);
    expect(Object.keys(grouped.projects)).toEqual(['/home/dev/app']);
  });

  it('groups days in the requested time zone', async () => {
    ledger.write('claude/projects/-home-dev-app/late.jsonl', claudeFixture('streaming.jsonl').replaceAll('2025-10-01T10:', '2025-10-01T23:').replaceAll('msg_01', 'msg_late'));
    const r = await cli(['--json', '--timezone', 'Asia/Tokyo']);
    expect(JSON.parse(r.stdout).daily.map((d: any) => d.date)).toEqual(['2025-10-01', '2025-10-02', '2025-10-05']);
  });

  it('prints a table that honours NO_COLOR, with per-model rows on --breakdown', async () => {
    const r = await cli(['--breakdown'], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('│ 2025-10-01 │');
    expect(r.stdout).toContain('└ claude-sonnet-4-5-20250929');
    expect(r.stdout).not.toContain('\u001b[');
    expect((await cli([], { FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
  });

  it('reports from the ledger alone with --no-sync', async () => {
    await json([]);
    ledger.write('claude/projects/-home-dev-app/sess-3.jsonl', claudeFixture('advisor.jsonl'));
    expect((await json(['--no-sync'])).daily).toHaveLength(2);
    expect((await json([])).daily).toHaveLength(3);
  });
});

describe('namespaces', () => {
  it('records agent logs into the configured namespace and reports one namespace at a time', async () => {
    const env = { TOKENLEDGER_NAMESPACE: 'team-a' };
    expect((await json([], env)).daily).toHaveLength(2);
    expect((await json(['--namespace', 'cost-tracking'], env)).daily).toEqual([]);
    expect((await json([], { DAILY_NAMESPACE: 'team-a' })).daily).toHaveLength(2);
    expect((await json(['session', '--namespace', 'team-a'])).sessions).toHaveLength(2);
    const bad = await cli(['--namespace', 'no spaces']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid namespace "no spaces"');
  });
});

describe('exit codes and messages', () => {
  it('exits 3 when some lines could not be read, says where with --verbose, and 0 once they were reported', async () => {
    ledger.write('claude/projects/-home-dev-app/bad.jsonl', claudeFixture('malformed.jsonl'));
    const first = await cli([]);
    expect(first.code).toBe(3);
    expect(first.stderr).toContain('5 record(s) in 1 file(s) could not be read');
    const again = await cli(['--verbose']);
    expect(again.code).toBe(0);
    ledger.write('claude/projects/-home-dev-app/bad2.jsonl', claudeFixture('malformed.jsonl').replaceAll('msg_ok', 'msg_again'));
    const verbose = await cli(['sync', '--verbose']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(/dropped .*bad2\.jsonl:2: invalid JSON/);
  });

  it.each([
    [['--since', '2025-02-30'], '--since: "2025-02-30" is not a calendar date'],
    [['--since', '2025-10-05', '--until', '2025-10-01'], 'is after --until'],
    [['--last', '0'], '--last expects a whole number'],
    [['--agent', 'cur/sor'], '"cur/sor" is not an agent name'],
    [['--timezone', 'Mars/Olympus'], 'unknown time zone "Mars/Olympus"'],
    [['--order', 'sideways'], "argument 'sideways' is invalid"],
    [['--bogus'], "unknown option '--bogus'"],
    [['weekly', '--start-of-week', 'someday'], '--start-of-week expects a weekday name'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('exits 2 on bad input %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('exits 2 naming the bad setting when the config file is invalid', async () => {
    const config = join(ledger.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ timezon: 'UTC' }));
    const r = await cli(['--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timezon is not a known setting (did you mean "timezone"?)');
    writeFileSync(config, '{ "prices": ');
    expect((await cli(['--config', config])).stderr).toContain('is not valid JSON');
    expect((await cli([], { TOKENLEDGER_CONFIG: join(ledger.dir, 'missing.json') })).code).toBe(2);
  });

  it('exits 4 when the ledger file is not a ledger', async () => {
    const notLedger = join(ledger.dir, 'notes.db');
    writeFileSync(notLedger, 'these are my notes, not a database');
    const r = await cli(['--db', notLedger]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is not a tokenledger ledger');
  });

  it('lists the records syncs dropped in detect', async () => {
    ledger.write('claude/projects/-home-dev-app/bad.jsonl', claudeFixture('malformed.jsonl'));
    await cli(['sync']);
    const r = await cli(['detect']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Records the ledger could not use (latest 5):');
    expect(r.stdout).toMatch(/bad\.jsonl:2: invalid JSON/);
    const json = JSON.parse((await cli(['detect', '--json'])).stdout) as { drops: unknown[]; agents: { agent: string }[] };
    expect(json.drops).toHaveLength(5);
    expect(json.agents.map((a) => a.agent)).toEqual(['claude-code', 'codex-cli', 'gemini-cli']);
  });

  it('lists every command in --help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['daily', 'weekly', 'monthly', 'session', 'sync', 'prices', 'reprice', 'detect', 'demo']) expect(r.stdout).toContain(name);
  });
});

describe('prices', () => {
  it('shows the resolved prices and where they come from; an unknown model is exit 2 with a hint', async () => {
    const known = await cli(['prices', 'claude-sonnet-4-20250514']);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain('anthropic/claude-sonnet-4-0');
    expect(known.stdout).toContain('Sonnet 4 long-context tier');
    expect(known.stdout).toMatch(/prompt > 200,000\s+6\.00\s+22\.50\s+7\.50\s+12\.00\s+0\.60/);
    const unknown = await cli(['prices', 'my-local-model']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no price is known for "my-local-model"');
    expect(unknown.stderr).toContain('"prices": {"my-local-model"');
  });

  it("shows a service tier's prices with --speed, and flags a tier without a price of its own", async () => {
    const priceJson = async (args: string[]): Promise<Record<string, any>> => JSON.parse((await cli(['prices', ...args, '--json'])).stdout) as Record<string, any>;
    const fast = await priceJson(['claude-opus-4-6', '--speed', 'fast', '--at', '2026-04-01']);
    expect(fast).toEqual(expect.objectContaining({ serviceTier: 'fast', serviceTierPriced: true, base: { input: 30, output: 150, cacheWrite5m: 37.5, cacheWrite1h: 60, cacheRead: 3 } }));
    const text = await cli(['prices', 'claude-opus-4-8', '--speed', 'fast']);
    expect(text.stdout).toMatch(/Speed\s+fast/);
    expect(text.stdout).toMatch(/base\s+10\.00\s+50\.00\s+12\.50\s+20\.00\s+1\.00/);
    const none = await cli(['prices', 'claude-sonnet-4-5', '--speed', 'fast']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no fast price is known for claude-sonnet-4-5');
    expect((await priceJson(['claude-opus-4-6', '--speed', 'standard'])).base.input).toBe(5);
  });

  it('reprices fast-mode requests at their stored tier when an override changes what fast costs', async () => {
    ledger.write('claude/projects/-home-dev-app/fast.jsonl', claudeFixture('fast-mode.jsonl'));
    const synced = await cli(['sync']);
    expect(synced.code).toBe(0);
    expect(synced.stderr).toContain('no price is known for claude-sonnet-4-5-20250929 at the fast tier (1 events); they are priced at standard rates');
    const cost = async (): Promise<number | undefined> => (await ledger.events()).find((e) => e.dedupKey === 'claude-code:msg_fast2:req_fast2')?.costNanos;
    // Opus 4.8 fast, 2 × (3 × $5 + 100 × $25 + 20,000 × $0.50 per million)
    expect(await cost()).toBe(2 * 12_515_000);
    ledger.write('config/tokenledger/config.json', JSON.stringify({ prices: { 'claude-opus-4-8': { serviceTiers: { fast: 3 } } } }));
    const reprice = await cli(['reprice', '--json']);
    expect(reprice.code, reprice.stderr).toBe(0);
    expect(JSON.parse(reprice.stdout)).toEqual(expect.objectContaining({ changed: 1, serviceTiersAtStandardRates: ['claude-sonnet-4-5-20250929 (fast)'] }));
    expect(await cost()).toBe(3 * 12_515_000);
  });

  it('counts unknown models unpriced, then reprices history once an override is added', async () => {
    ledger.write('claude/projects/-home-dev-app/local.jsonl', claudeFixture('streaming.jsonl').replaceAll('claude-sonnet-4-5-20250929', 'my-local-model').replaceAll('msg_01', 'msg_local'));
    const before = await json([]);
    expect(before.totals.unpricedModels).toEqual(['my-local-model']);
    const table = await cli([]);
    expect(table.stderr).toContain('no price is known for my-local-model');
    const config = join(ledger.dir, 'config', 'tokenledger', 'config.json');
    ledger.write('config/tokenledger/config.json', JSON.stringify({ prices: { 'my-local-*': { input: 1, output: 2 } } }));
    expect((await cli([])).stderr).toContain('run `tokenledger reprice`');
    const reprice = await cli(['reprice', '--json']);
    expect(reprice.code).toBe(0);
    expect(JSON.parse(reprice.stdout)).toEqual(expect.objectContaining({ unpricedModels: [], unpricedEvents: 0 }));
    const after = await json([]);
    expect(after.totals.unpricedModels).toEqual([]);
    // my-local-model: 3×$1 + 159×$2 and 5×$1 + 42×$2 per million, plus cache reads/writes at the input price
    const local = after.daily[0].modelBreakdowns.find((m: any) => m.modelName === 'my-local-model');
    expect(local.cost).toBeCloseTo((3 + 159 * 2 + 1000 + 20_000 + 5 + 42 * 2 + 500 + 21_000) / 1e6, 12);
    expect(config).toContain('config.json');
  });
});

describe('executable', () => {
  it('runs from bin/tokenledger', () => {
    const out = execFileSync(process.execPath, [join(packageRoot(), 'bin', 'tokenledger'), '--version'], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
