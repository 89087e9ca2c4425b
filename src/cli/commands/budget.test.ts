import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { bySpend, levels } from '../../testing/crossing-levels.js';
import { FixtureLedger, fixture } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const HOUR = 3_600_000;
const USD = 1e9;

let ledger: FixtureLedger;
beforeEach(() => {
  ledger = new FixtureLedger();
});
afterEach(() => ledger.remove());

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCliOn(
    ledger,
    [...args, '--no-sync'].filter((a) => !(a === '--no-sync' && (args[1] === 'set' || args[1] === 'remove'))),
    { env, now: NOW },
  );
const checkJson = async (args: string[] = []): Promise<{ code: number; body: Record<string, any> }> => {
  const r = await cli(['budget', 'check', '--json', ...args]);
  return { code: r.code, body: JSON.parse(r.stdout) as Record<string, any> };
};

describe('budget set, get, list, check, remove', () => {
  it('says when no budget is set, and exits 0', async () => {
    const r = await cli(['budget', 'check']);
    expect([r.code, r.stdout]).toEqual([0, 'No budget is set in namespace cost-tracking; set one with `tokenledger budget set <usd> --period month`.\n']);
    expect((await checkJson()).body).toEqual({ namespace: 'cost-tracking', level: 'OK', message: 'no budget is set in namespace cost-tracking', budgets: [] });
  });

  it('walks the ladder: INFO at 50%, WARNING at 75%, CRITICAL at 90%, HARD_STOP (exit 1) at 100%', async () => {
    expect((await cli(['budget', 'set', '$20', '--period', 'month'])).stdout).toBe('Budget set: $20.00 per month, scope global (namespace cost-tracking).\n');
    const steps: [number, string, number | null, number][] = [
      [9.99, 'OK', null, 0],
      [0.01, 'INFO', 50, 0], // $10.00 = 50%
      [5, 'WARNING', 75, 0], // $15.00 = 75%
      [3, 'CRITICAL', 90, 0], // $18.00 = 90%
      [1.99, 'CRITICAL', 90, 0], // $19.99
      [0.01, 'HARD_STOP', 100, 1], // $20.00 = 100%, inclusive
    ];
    let spent = 0;
    for (const [i, [usd, level, threshold, code]] of steps.entries()) {
      spent += usd;
      await ledger.record([{ occurredAt: NOW - HOUR, costNanos: Math.round(usd * USD), sessionId: `s${i % 2}` }], `step${i}`);
      const { code: exit, body } = await checkJson();
      expect(body).toEqual(
        expect.objectContaining({
          period: 'month',
          scope: 'global',
          budget_usd: 20,
          spent_usd: Math.round(spent * 100) / 100,
          remaining_usd: Math.round((20 - spent) * 100) / 100,
          utilization_pct: Math.round((spent / 20) * 10000) / 100,
          level,
          threshold,
          sessionCount: Math.min(i + 1, 2),
        }),
      );
      expect(typeof body.recommended_action).toBe('string');
      expect(exit, level).toBe(code);
    }
    const table = await cli(['budget', 'check']);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('HARD_STOP: spending stops');
  });

  it('counts only the period, scope and namespace of each budget; the most severe wins', async () => {
    await ledger.record([
      { occurredAt: Date.UTC(2025, 8, 30, 12), costNanos: 100 * USD }, // last month
      { occurredAt: Date.UTC(2025, 9, 1, 12), costNanos: 4 * USD, project: '/home/dev/app' },
      { occurredAt: Date.UTC(2025, 9, 10, 9), costNanos: 6 * USD, project: '/home/dev/api', sessionId: 'api-1' },
      { occurredAt: Date.UTC(2025, 9, 10, 10), costNanos: 50 * USD, namespace: 'ci', sessionId: 'ci-1' },
    ]);
    await cli(['budget', 'set', '20', '--period', 'month']);
    await cli(['budget', 'set', '8', '--period', 'today']);
    await cli(['budget', 'set', '5', '--period', 'month', '--scope', 'project:api']);
    const { code, body } = await checkJson();
    expect(code).toBe(1);
    // project:api spent $6 of $5: HARD_STOP beats today's 75% and the month's 50%.
    expect([body.scope, body.period, body.spent_usd, body.level]).toEqual(['project:api', 'month', 6, 'HARD_STOP']);
    expect(body.budgets.map((b: any) => [b.scope, b.period, b.spent_usd, b.level])).toEqual([
      ['global', 'month', 10, 'INFO'],
      ['global', 'today', 6, 'WARNING'],
      ['project:api', 'month', 6, 'HARD_STOP'],
    ]);
    // --period narrows which budgets are checked.
    expect((await checkJson(['--period', 'today'])).code).toBe(0);
    // Another namespace has its own budgets and spend.
    expect((await cli(['budget', 'check', '--namespace', 'ci'])).stdout).toContain('No budget is set in namespace ci');
    await cli(['budget', 'set', '40', '--namespace', 'ci', '--period', 'all']);
    const ci = await runCliOn(ledger, ['budget', 'check', '--json', '--no-sync'], { env: { BUDGET_NAMESPACE: 'ci' }, now: NOW });
    expect([ci.code, JSON.parse(ci.stdout).spent_usd, JSON.parse(ci.stdout).level]).toEqual([1, 50, 'HARD_STOP']);
  });

  it('lists, gets and removes budgets; set replaces the amount of the same scope and period', async () => {
    await cli(['budget', 'set', '10', '--period', '7d', '--scope', 'agent:codex']);
    await cli(['budget', 'set', '12.5', '--period', '7D', '--scope', 'agent:codex-cli']);
    const list = JSON.parse((await cli(['budget', 'list', '--json'])).stdout);
    expect(list.budgets.map((b: any) => [b.scope, b.period, b.budget_usd])).toEqual([['agent:codex-cli', '7d', 12.5]]);
    expect((await cli(['budget', 'get', '--format', 'markdown'])).stdout).toMatch(/^\| Scope +\| Period/);
    expect((await cli(['budget', 'remove', '--period', '7d', '--scope', 'agent:codex-cli'])).stdout).toBe('Budget removed: per rolling 7d, scope agent:codex-cli (namespace cost-tracking).\n');
    expect((await cli(['budget', 'remove'])).stdout).toBe('No such budget in namespace cost-tracking.\n');
  });

  it('refuses bad amounts, periods, scopes and namespaces with exit 2', async () => {
    const cases: [string[], string][] = [
      [['budget', 'set', 'ten'], 'expects an amount in US dollars'],
      [['budget', 'set', '-5'], 'expects an amount in US dollars'],
      [['budget', 'set', '5', '--period', 'fortnight'], '--period expects'],
      [['budget', 'set', '5', '--scope', 'team:x'], '--scope expects'],
      [['budget', 'set', '5', '--scope', 'agent:cur sor'], '"cur sor" is not an agent name'],
      [['budget', 'check', '--namespace', 'no spaces'], 'invalid namespace'],
      [['budget', 'check', '--format', 'yaml'], 'Allowed choices are'],
    ];
    for (const [args, message] of cases) {
      const r = await runCliOn(ledger, args, { now: NOW });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
  });

  it('validates configured thresholds and uses them', async () => {
    const config = join(ledger.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ budgets: { thresholds: { info: 20, warning: 40 } } }));
    await ledger.record([{ occurredAt: NOW - HOUR, costNanos: 4.5 * USD }]);
    await runCliOn(ledger, ['budget', 'set', '10', '--config', config], { now: NOW });
    const r = await runCliOn(ledger, ['budget', 'check', '--json', '--no-sync', '--config', config], { now: NOW });
    expect([JSON.parse(r.stdout).level, JSON.parse(r.stdout).threshold]).toEqual(['WARNING', 40]);
    writeFileSync(config, JSON.stringify({ budgets: { thresholds: { warning: 95 } } }));
    const bad = await runCliOn(ledger, ['budget', 'check', '--config', config], { now: NOW });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('budgets.thresholds must rise from info to hardStop');
  });
});

describe('budget check beside a writer', () => {
  it('answers 1 at HARD_STOP while another connection holds the write lock past the busy timeout: says it could not sync, reads the ledger as it is', { timeout: 40_000 }, async () => {
    await cli(['budget', 'set', '0.01', '--period', 'all']);
    await ledger.record([{ occurredAt: NOW - HOUR, costNanos: 0.02 * USD }]);
    // New agent usage waiting to be synced: the check would have to write it first.
    const log = ledger.write('claude/projects/-home-dev-app/sess-1.jsonl', fixture(new URL('../../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'streaming.jsonl'));
    const holder = new Database(ledger.dbPath);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const quick = await runCliOn(ledger, ['budget', 'check', '--no-sync', '--json'], { now: NOW });
      expect([quick.code, JSON.parse(quick.stdout).level, quick.stderr]).toEqual([1, 'HARD_STOP', '']);
      const r = await runCliOn(ledger, ['budget', 'check', '--json'], { now: NOW });
      expect([r.code, JSON.parse(r.stdout).level]).toEqual([1, 'HARD_STOP']);
      expect(r.stderr).toBe(
        `warning: the ledger ${ledger.dbPath} is locked by another writer for more than 15 s: new agent usage is not recorded this time; this reads the ledger as it is (the next sync records it)\n`,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const after = await runCliOn(ledger, ['budget', 'check', '--json'], { now: NOW });
    // Synced now: the commit that records the waiting usage announces the levels it crossed.
    expect(after.code).toBe(1);
    expect(after.stderr).not.toContain('warning');
    expect([...(await ledger.read((l) => l.cursors([log]), ledger.cliRecorder())).keys()]).toEqual([log]);
  });
});

describe('the budget check inside each commit', () => {
  it('lets no two concurrent writers both slip under the limit: one HARD_STOP, recorded by the commit that crossed', async () => {
    // Four `tokenledger sync` processes read four agent homes into one ledger at once, committing
    // every 5 events ($0.30 each, $1.50 per commit); the budget is half the $60 total.
    const WRITERS = 4;
    const EVENTS = 50;
    const now = Date.now();
    for (let w = 0; w < WRITERS; w++) {
      const lines: string[] = [];
      for (let i = 0; i < EVENTS; i++) {
        lines.push(
          JSON.stringify({
            type: 'assistant',
            sessionId: `w${w}`,
            cwd: '/home/dev/app',
            timestamp: new Date(now - 3_600_000 + i * 1000).toISOString(),
            requestId: `req_${w}_${i}`,
            message: { id: `msg_${w}_${i}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 100_000, output_tokens: 0 } },
          }),
        );
      }
      ledger.write(`claude${w}/projects/-home-dev-app/w${w}.jsonl`, `${lines.join('\n')}\n`);
    }
    await runCliOn(ledger, ['budget', 'set', '30', '--period', 'all'], { now });
    const bin = join(packageRoot(), 'bin', 'tokenledger');
    const runs = await Promise.all(
      Array.from(
        { length: WRITERS },
        (_, w) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const env = {
              ...process.env,
              ...ledger.env,
              CLAUDE_CONFIG_DIR: join(ledger.dir, `claude${w}`),
              TOKENLEDGER_DB: ledger.dbPath,
              XDG_CONFIG_HOME: join(ledger.dir, 'config'),
              TOKENLEDGER_SYNC_BATCH: '5',
              TZ: 'UTC',
            };
            const child = spawn(process.execPath, [bin, 'sync'], { env });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rows = bySpend(await ledger.read((l) => l.crossings('cost-tracking', 0)));
    expect(rows.map((r) => r.level)).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
    const hardStop = rows[3]!.spentNanos;
    expect(hardStop).toBeGreaterThanOrEqual(30 * USD);
    expect(hardStop).toBeLessThan(31.5 * USD);
    // Each process told its user only of the levels its own commits crossed: once in all.
    const told = runs.flatMap((r) => r.stderr.split('\n').filter((l) => l.startsWith('budget ')));
    expect(told.map((l) => l.split(':')[0]).sort()).toEqual(['budget CRITICAL', 'budget HARD_STOP', 'budget INFO', 'budget WARNING']);
    expect(await ledger.inspector.eventCount()).toBe(WRITERS * EVENTS);
  });
});

describe('budget crossings on stderr', () => {
  /** A Claude Code log of requests of `inputTokens` each ($3 per million on this model). */
  const log = (inputTokens: readonly number[]): string =>
    inputTokens
      .map((tokens, i) =>
        JSON.stringify({
          type: 'assistant',
          sessionId: 's',
          cwd: '/home/dev/app',
          timestamp: new Date(NOW - HOUR + i * 1000).toISOString(),
          requestId: `req_${i}`,
          message: { id: `msg_${i}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: tokens, output_tokens: 0 } },
        }),
      )
      .map((line) => `${line}\n`)
      .join('');
  const levelsTold = (stderr: string): string[] =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('budget '))
      .map((l) => l.split(':')[0]!);
  const levelsRecorded = async (): Promise<string[]> => levels(await ledger.read((l) => l.crossings('cost-tracking', 0)));

  it('says only the highest level one commit crossed, and records every level', async () => {
    await cli(['budget', 'set', '1', '--period', 'month']);
    ledger.write('claude/projects/-home-dev-app/s.jsonl', log([1_000_000])); // $3 of $1
    const r = await runCliOn(ledger, ['sync'], { now: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(levelsTold(r.stderr)).toEqual(['budget HARD_STOP']);
    expect(await levelsRecorded()).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
  });

  it('says the highest level of each commit when a sync commits several times', async () => {
    await cli(['budget', 'set', '1', '--period', 'month']);
    // One event per commit: $0.60 (INFO), then $1.20 (WARNING, CRITICAL and HARD_STOP at once).
    ledger.write('claude/projects/-home-dev-app/s.jsonl', log([200_000, 200_000]));
    const r = await runCliOn(ledger, ['sync'], { now: NOW, env: { TOKENLEDGER_SYNC_BATCH: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(levelsTold(r.stderr)).toEqual(['budget INFO', 'budget HARD_STOP']);
    expect(await levelsRecorded()).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
  });
});
