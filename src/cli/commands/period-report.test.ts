import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn, type CliRun } from '../../testing/run-cli.js';

const EVIL_PROJECT = '=HYPERLINK("http://x","y")';
const at = (iso: string): number => Date.parse(iso);

let ledger: FixtureLedger;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    { occurredAt: at('2025-10-01T09:00:00Z'), inputTokens: 100, outputTokens: 20, cacheWrite5mTokens: 300, cacheReadTokens: 4_000, costNanos: 1_500_000 },
    { occurredAt: at('2025-10-01T10:00:00Z'), model: 'claude-opus-4-1', inputTokens: 10, outputTokens: 5, cacheWrite1hTokens: 50, costNanos: 2_000_000_001 },
    { occurredAt: at('2025-10-01T11:00:00Z'), project: EVIL_PROJECT, sessionId: 'session-2', inputTokens: 1, outputTokens: 2, costNanos: 7 },
    {
      occurredAt: at('2025-10-07T08:00:00Z'),
      agent: 'codex-cli',
      provider: 'openai',
      model: 'gpt-5',
      sessionId: 'session-3',
      inputTokens: 1_000,
      outputTokens: 300,
      cacheReadTokens: 9_000,
      costNanos: 12_345_678,
    },
  ]);
});
afterEach(() => ledger.remove());

const cli = async (args: string[]): Promise<CliRun> => {
  const r = await runCliOn(ledger, [...args, '--no-sync', '--timezone', 'UTC']);
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const lines = (...records: string[]): string => records.map((r) => `${r}\r\n`).join('');
const FIGURES = 'input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd';

describe('daily, weekly, monthly --format csv', () => {
  it('writes a record per day, hostile project paths defused', async () => {
    expect((await cli(['daily', '--format', 'csv'])).stdout).toBe(
      lines(
        `date,agents,${FIGURES},models`,
        '2025-10-01,claude-code,111,27,300,50,4000,4488,3,0,2.001500008,claude-opus-4-1;claude-sonnet-4-5',
        '2025-10-07,codex-cli,1000,300,0,0,9000,10300,1,0,0.012345678,gpt-5',
      ),
    );
    expect((await cli(['daily', '--format', 'csv', '--instances'])).stdout).toBe(
      lines(
        `date,project,agents,${FIGURES},models`,
        '2025-10-01,/home/dev/app,claude-code,110,25,300,50,4000,4485,2,0,2.001500001,claude-opus-4-1;claude-sonnet-4-5',
        `2025-10-01,"'=HYPERLINK(""http://x"",""y"")",claude-code,1,2,0,0,0,3,1,0,0.000000007,claude-sonnet-4-5`,
        '2025-10-07,/home/dev/app,codex-cli,1000,300,0,0,9000,10300,1,0,0.012345678,gpt-5',
      ),
    );
  });

  it('writes a record per period and model with --breakdown', async () => {
    expect((await cli(['daily', '-f', 'csv', '--breakdown'])).stdout).toBe(
      lines(
        `date,model,${FIGURES}`,
        '2025-10-01,claude-opus-4-1,10,5,0,50,0,65,1,0,2.000000001',
        '2025-10-01,claude-sonnet-4-5,101,22,300,0,4000,4423,2,0,0.001500007',
        '2025-10-07,gpt-5,1000,300,0,0,9000,10300,1,0,0.012345678',
      ),
    );
  });

  it('names the period column after the report, weeks by their first day', async () => {
    expect((await cli(['weekly', '--format', 'csv'])).stdout).toBe(
      lines(
        `week,agents,${FIGURES},models`,
        '2025-09-29,claude-code,111,27,300,50,4000,4488,3,0,2.001500008,claude-opus-4-1;claude-sonnet-4-5',
        '2025-10-06,codex-cli,1000,300,0,0,9000,10300,1,0,0.012345678,gpt-5',
      ),
    );
    expect((await cli(['monthly', '--format', 'csv', '--breakdown', '--instances'])).stdout).toBe(
      lines(
        `month,project,model,${FIGURES}`,
        '2025-10,/home/dev/app,claude-opus-4-1,10,5,0,50,0,65,1,0,2.000000001',
        '2025-10,/home/dev/app,gpt-5,1000,300,0,0,9000,10300,1,0,0.012345678',
        '2025-10,/home/dev/app,claude-sonnet-4-5,100,20,300,0,4000,4420,1,0,0.0015',
        `2025-10,"'=HYPERLINK(""http://x"",""y"")",claude-sonnet-4-5,1,2,0,0,0,3,1,0,0.000000007`,
      ),
    );
  });

  it('writes the header even when nothing matches', async () => {
    expect((await cli(['daily', '--format', 'csv', '--since', '2026-01-01'])).stdout).toBe(lines(`date,agents,${FIGURES},models`));
  });

  it('rejects a format the reports do not offer', async () => {
    const r = await runCliOn(ledger, ['daily', '--format', 'markdown', '--no-sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('markdown');
  });
});

describe('daily --json', () => {
  it('is unchanged by --format, and -j is the same as --format json', async () => {
    const json = (await cli(['daily', '-j'])).stdout;
    // Byte for byte: same keys in the same order, two-space indent, one line end.
    expect(json).toBe(`${JSON.stringify(JSON.parse(JSON_DAILY), null, 2)}\n`);
    expect((await cli(['daily', '--json'])).stdout).toBe(json);
    expect((await cli(['daily', '--format', 'json'])).stdout).toBe(json);
    expect((await cli(['daily', '--format', 'csv', '--json'])).stdout).toBe(json);
    const byProject = JSON.parse((await cli(['daily', '-j', '--instances'])).stdout) as { projects: Record<string, unknown[]> };
    expect(Object.keys(byProject)).toEqual(['projects', 'totals']);
    expect(Object.keys(byProject.projects)).toEqual(['/home/dev/app', EVIL_PROJECT]);
  });
});

/** `daily -j` of the ledger above, as printed before `--format` came (compacted). */
const JSON_DAILY =
  '{"daily":[{"date":"2025-10-01","inputTokens":111,"outputTokens":27,"cacheCreationTokens":350,"cacheReadTokens":4000,"totalTokens":4488,"totalCost":2.001500008,"cacheCreation5mTokens":300,"cacheCreation1hTokens":50,"reasoningTokens":0,"requests":3,"unpricedRequests":0,"modelsUsed":["claude-opus-4-1","claude-sonnet-4-5"],"modelBreakdowns":[{"modelName":"claude-opus-4-1","inputTokens":10,"outputTokens":5,"cacheCreationTokens":50,"cacheReadTokens":0,"totalTokens":65,"cost":2.000000001,"cacheCreation5mTokens":0,"cacheCreation1hTokens":50,"reasoningTokens":0,"requests":1,"unpricedRequests":0,"unpriced":false},{"modelName":"claude-sonnet-4-5","inputTokens":101,"outputTokens":22,"cacheCreationTokens":300,"cacheReadTokens":4000,"totalTokens":4423,"cost":0.001500007,"cacheCreation5mTokens":300,"cacheCreation1hTokens":0,"reasoningTokens":0,"requests":2,"unpricedRequests":0,"unpriced":false}],"agents":[{"agent":"claude-code","inputTokens":111,"outputTokens":27,"cacheCreationTokens":350,"cacheReadTokens":4000,"totalTokens":4488,"totalCost":2.001500008,"cacheCreation5mTokens":300,"cacheCreation1hTokens":50,"reasoningTokens":0,"requests":3,"unpricedRequests":0}]},' +
  '{"date":"2025-10-07","inputTokens":1000,"outputTokens":300,"cacheCreationTokens":0,"cacheReadTokens":9000,"totalTokens":10300,"totalCost":0.012345678,"cacheCreation5mTokens":0,"cacheCreation1hTokens":0,"reasoningTokens":0,"requests":1,"unpricedRequests":0,"modelsUsed":["gpt-5"],"modelBreakdowns":[{"modelName":"gpt-5","inputTokens":1000,"outputTokens":300,"cacheCreationTokens":0,"cacheReadTokens":9000,"totalTokens":10300,"cost":0.012345678,"cacheCreation5mTokens":0,"cacheCreation1hTokens":0,"reasoningTokens":0,"requests":1,"unpricedRequests":0,"unpriced":false}],"agents":[{"agent":"codex-cli","inputTokens":1000,"outputTokens":300,"cacheCreationTokens":0,"cacheReadTokens":9000,"totalTokens":10300,"totalCost":0.012345678,"cacheCreation5mTokens":0,"cacheCreation1hTokens":0,"reasoningTokens":0,"requests":1,"unpricedRequests":0}]}],' +
  '"totals":{"inputTokens":1111,"outputTokens":327,"cacheCreationTokens":350,"cacheReadTokens":13000,"totalTokens":14788,"totalCost":2.013845686,"cacheCreation5mTokens":300,"cacheCreation1hTokens":50,"reasoningTokens":0,"requests":4,"unpricedRequests":0,"unpricedModels":[]}}';

describe('daily --since as a duration', () => {
  it('reads 7d as the day seven days before now, like the analysis commands', async () => {
    // now is 2025-10-10T12:00Z: 7d back is 2025-10-03, so only 2025-10-07 remains.
    const r = await cli(['daily', '--since', '7d', '--format', 'csv']);
    expect(
      r.stdout
        .split('\r\n')
        .filter((l) => l !== '')
        .map((l) => l.split(',')[0]),
    ).toEqual(['date', '2025-10-07']);
  });
});

describe('--breakdown', () => {
  it('names each model of a day (and of a session) once: on its own row, not also in the Models cell', async () => {
    for (const command of ['daily', 'session']) {
      const out = (await runCliOn(ledger, [command, '--breakdown', '--no-sync', '--timezone', 'UTC'], { env: { COLUMNS: '250' } })).stdout;
      expect(out.split('claude-opus-4-1').length - 1, command).toBe(1);
      expect(out.split('claude-sonnet-4-5').length - 1, command).toBe(command === 'daily' ? 1 : 2);
    }
  });
});
