import { describe, expect, it } from 'vitest';
import type { Part, PeriodReport } from '../../analytics/period-report.js';
import type { SessionReport } from '../../analytics/session-report.js';
import { emptyTotals } from '../../analytics/totals.js';
import type { UsageTotals } from '../../ledger/ledger.js';
import { periodJson } from '../json/period-json.js';
import { sessionJson } from '../json/session-json.js';
import { periodCsv, sessionCsv } from './usage-csv.js';

const usage = (fields: Partial<UsageTotals>): UsageTotals => ({ ...emptyTotals(), ...fields });
const sum = (...all: UsageTotals[]): UsageTotals => {
  const total = emptyTotals();
  for (const t of all) for (const key of Object.keys(total) as (keyof UsageTotals)[]) total[key] += t[key];
  return total;
};

const OPUS = usage({
  inputTokens: 100,
  outputTokens: 2_000,
  reasoningTokens: 500,
  cacheWrite5mTokens: 30_000,
  cacheWrite1hTokens: 4_000,
  cacheReadTokens: 500_000,
  costNanos: 1_234_567_891,
  events: 12,
});
const HOSTILE = usage({ inputTokens: 7, outputTokens: 3, costNanos: 0, events: 1, unpricedEvents: 1 });
const TINY = usage({ inputTokens: 1, costNanos: 1, events: 1 });
const EVIL_MODEL = '=HYPERLINK("http://x","y")';
const EVIL_PROJECT = '-2+3,"/tmp/x"\nnext';

const part = (name: string, totals: UsageTotals): Part => ({ name, totals });

const report: PeriodReport = {
  rows: [
    {
      period: '2025-10-01',
      project: '/home/dev/app',
      totals: sum(OPUS, HOSTILE),
      models: [part('claude-opus-4-1', OPUS), part(EVIL_MODEL, HOSTILE)],
      agents: [part('claude-code', OPUS), part('@codex', HOSTILE)],
    },
    { period: '2025-10-02', project: EVIL_PROJECT, totals: TINY, models: [part('+1+1', TINY)], agents: [part('gemini-cli', TINY)] },
  ],
  totals: sum(OPUS, HOSTILE, TINY),
  unpricedModels: [EVIL_MODEL],
};

const lines = (...records: string[]): string => records.map((r) => `${r}\r\n`).join('');

describe('periodCsv', () => {
  it('writes a record per period with the JSON figures, hostile text defused', () => {
    expect(periodCsv(report, { kind: 'day', breakdown: false, byProject: false })).toBe(
      lines(
        'date,agents,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models',
        `2025-10-01,claude-code;@codex,107,2003,30000,4000,500000,536110,13,1,1.234567891,"claude-opus-4-1;=HYPERLINK(""http://x"",""y"")"`,
        "2025-10-02,gemini-cli,1,0,0,0,0,1,1,0,0.000000001,'+1+1",
      ),
    );
  });

  it('adds a project column when grouped by project', () => {
    expect(periodCsv(report, { kind: 'week', breakdown: false, byProject: true })).toBe(
      lines(
        'week,project,agents,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models',
        `2025-10-01,/home/dev/app,claude-code;@codex,107,2003,30000,4000,500000,536110,13,1,1.234567891,"claude-opus-4-1;=HYPERLINK(""http://x"",""y"")"`,
        `2025-10-02,"'-2+3,""/tmp/x""\nnext",gemini-cli,1,0,0,0,0,1,1,0,0.000000001,'+1+1`,
      ),
    );
  });

  it('writes a record per period and model with --breakdown', () => {
    expect(periodCsv(report, { kind: 'month', breakdown: true, byProject: false })).toBe(
      lines(
        'month,model,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd',
        '2025-10-01,claude-opus-4-1,100,2000,30000,4000,500000,536100,12,0,1.234567891',
        `2025-10-01,"'=HYPERLINK(""http://x"",""y"")",7,3,0,0,0,10,1,1,0`,
        "2025-10-02,'+1+1,1,0,0,0,0,1,1,0,0.000000001",
      ),
    );
  });

  it('writes the header alone for an empty report', () => {
    const empty: PeriodReport = { rows: [], totals: emptyTotals(), unpricedModels: [] };
    expect(periodCsv(empty, { kind: 'day', breakdown: false, byProject: true })).toBe(
      lines('date,project,agents,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models'),
    );
    expect(periodCsv(empty, { kind: 'week', breakdown: true, byProject: false })).toBe(
      lines('week,model,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd'),
    );
    expect(periodCsv(empty, { kind: 'day', breakdown: false, byProject: false, byUser: true })).toBe(
      lines('date,user,agents,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models'),
    );
  });

  it('agrees with the JSON on every figure', () => {
    const json = periodJson('day', report, false) as { daily: Record<string, number>[] };
    const records = periodCsv(report, { kind: 'day', breakdown: false, byProject: false }).split('\r\n');
    // The first row has no quoted comma before its figures; the columns line up by position.
    const figures = (records[1] as string).split(',').slice(2, 11).map(Number);
    const day = json.daily[0] as Record<string, number>;
    expect(figures).toEqual([
      day.inputTokens,
      day.outputTokens,
      day.cacheCreation5mTokens,
      day.cacheCreation1hTokens,
      day.cacheReadTokens,
      day.totalTokens,
      day.requests,
      day.unpricedRequests,
      day.totalCost,
    ]);
  });
});

describe('sessionCsv', () => {
  const sessions: SessionReport = {
    rows: [
      {
        agent: 'claude-code',
        sessionId: '@session',
        project: EVIL_PROJECT,
        user: 'ada@lab',
        firstActivity: Date.UTC(2025, 9, 1, 8, 0, 0, 5),
        lastActivity: Date.UTC(2025, 9, 1, 9, 30),
        totals: sum(OPUS, TINY),
        models: [part('claude-opus-4-1', OPUS), part('claude-haiku-4-5', TINY)],
      },
    ],
    totals: sum(OPUS, TINY),
    unpricedModels: [],
  };

  it('writes a record per session with its activity in UTC', () => {
    expect(sessionCsv(sessions, { breakdown: false })).toBe(
      lines(
        'session_id,agent,project,first_activity,last_activity,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models,user',
        `'@session,claude-code,"'-2+3,""/tmp/x""\nnext",2025-10-01T08:00:00.005Z,2025-10-01T09:30:00.000Z,101,2000,30000,4000,500000,536101,13,0,1.234567892,claude-opus-4-1;claude-haiku-4-5,ada@lab`,
      ),
    );
    const json = sessionJson(sessions) as { sessions: { firstActivity: string; totalCost: number }[] };
    expect(json.sessions[0]?.firstActivity).toBe('2025-10-01T08:00:00.005Z');
    expect(json.sessions[0]?.totalCost).toBe(1.234567892);
  });

  it('writes a record per session and model with --breakdown', () => {
    expect(sessionCsv(sessions, { breakdown: true })).toBe(
      lines(
        'session_id,agent,project,first_activity,last_activity,model,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,user',
        `'@session,claude-code,"'-2+3,""/tmp/x""\nnext",2025-10-01T08:00:00.005Z,2025-10-01T09:30:00.000Z,claude-opus-4-1,100,2000,30000,4000,500000,536100,12,0,1.234567891,ada@lab`,
        `'@session,claude-code,"'-2+3,""/tmp/x""\nnext",2025-10-01T08:00:00.005Z,2025-10-01T09:30:00.000Z,claude-haiku-4-5,1,0,0,0,0,1,1,0,0.000000001,ada@lab`,
      ),
    );
  });

  it('writes the header alone for no sessions', () => {
    expect(sessionCsv({ rows: [], totals: emptyTotals(), unpricedModels: [] }, { breakdown: false })).toBe(
      lines(
        'session_id,agent,project,first_activity,last_activity,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cache_read_tokens,total_tokens,requests,unpriced_requests,cost_usd,models,user',
      ),
    );
  });
});
