import { describe, expect, it } from 'vitest';
import { sessionKey, type RollupRow, type SessionInfo } from '../ledger/ledger.js';
import { sessionReport } from './session-report.js';
import { addTotals, emptyTotals } from './totals.js';

const t = (iso: string): number => Date.parse(iso);

function row(at: string, fields: Partial<Omit<RollupRow, 'bucketStart'>> = {}): RollupRow {
  return {
    bucketStart: t(at),
    agent: 'claude-code',
    sessionId: 'sess-1',
    project: '/home/dev/app',
    model: 'claude-sonnet-4-5',
    inputTokens: 10,
    outputTokens: 20,
    reasoningTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 100,
    costNanos: 1_000,
    events: 1,
    unpricedEvents: 0,
    ...fields,
  };
}

function sessions(...infos: [agent: string, sessionId: string, first: string, last: string][]): Map<string, SessionInfo> {
  return new Map(infos.map(([agent, sessionId, first, last]) => [sessionKey(agent, sessionId), { agent, sessionId, firstActivity: t(first), lastActivity: t(last) }]));
}

describe('sessionReport', () => {
  const rows = [
    // Two agents may use the same session id: they are different sessions.
    row('2025-06-10T10:00:00Z', { agent: 'claude-code', sessionId: 'same', project: '/work/a', costNanos: 1 }),
    row('2025-06-10T10:15:00Z', { agent: 'codex-cli', sessionId: 'same', project: '/work/b', model: 'gpt-5', costNanos: 2 }),
    row('2025-06-11T09:00:00Z', { agent: 'claude-code', sessionId: 'multi', project: '/work/a', events: 1, costNanos: 4 }),
    row('2025-06-11T09:15:00Z', { agent: 'claude-code', sessionId: 'multi', project: '/work/b', events: 3, costNanos: 8 }),
    row('2025-06-11T09:30:00Z', { agent: 'claude-code', sessionId: 'multi', project: '/work/a', events: 1, costNanos: 16, model: 'claude-opus-4-1' }),
    row('2025-06-12T08:00:00Z', { agent: 'gemini-cli', sessionId: 'g1', project: '/work/c', model: 'gemini-2.5-pro', costNanos: 32 }),
  ];
  const info = sessions(
    ['claude-code', 'same', '2025-06-10T10:03:12.500Z', '2025-06-10T10:09:59Z'],
    ['codex-cli', 'same', '2025-06-10T10:20:00Z', '2025-06-10T10:29:00Z'],
    ['claude-code', 'multi', '2025-06-11T09:01:00Z', '2025-06-11T09:44:00Z'],
    ['gemini-cli', 'g1', '2025-06-12T08:05:00Z', '2025-06-12T08:06:00Z'],
  );

  it('groups by agent and session id', () => {
    const report = sessionReport(rows, info, { order: 'asc' });
    expect(report.rows.map((r) => [r.agent, r.sessionId, r.totals.costNanos])).toEqual([
      ['claude-code', 'same', 1],
      ['codex-cli', 'same', 2],
      ['claude-code', 'multi', 28],
      ['gemini-cli', 'g1', 32],
    ]);
  });

  it('takes first and last activity from the sessions map, not from the quarter-hour buckets', () => {
    const report = sessionReport(rows, info, { order: 'asc' });
    const multi = report.rows.find((r) => r.sessionId === 'multi');
    expect(multi?.firstActivity).toBe(t('2025-06-11T09:01:00Z'));
    expect(multi?.lastActivity).toBe(t('2025-06-11T09:44:00Z'));
    expect(report.rows[0]?.firstActivity).toBe(t('2025-06-10T10:03:12.500Z'));
  });

  it('names the project with the most requests, even when another has more cost', () => {
    const report = sessionReport(rows, info, { order: 'asc' });
    // /work/a: 2 requests costing 20; /work/b: 3 requests costing 8.
    expect(report.rows.find((r) => r.sessionId === 'multi')?.project).toBe('/work/b');
    expect(report.rows.map((r) => r.project)).toEqual(['/work/a', '/work/b', '/work/b', '/work/c']);
  });

  it('lists the models of a session by cost', () => {
    const report = sessionReport(rows, info, { order: 'asc' });
    expect(report.rows.find((r) => r.sessionId === 'multi')?.models.map((m) => [m.name, m.totals.costNanos])).toEqual([
      ['claude-opus-4-1', 16],
      ['claude-sonnet-4-5', 12],
    ]);
  });

  it('sorts by last activity, ascending or descending', () => {
    expect(sessionReport(rows, info, { order: 'asc' }).rows.map((r) => `${r.agent}/${r.sessionId}`)).toEqual(['claude-code/same', 'codex-cli/same', 'claude-code/multi', 'gemini-cli/g1']);
    expect(sessionReport(rows, info, { order: 'desc' }).rows.map((r) => `${r.agent}/${r.sessionId}`)).toEqual(['gemini-cli/g1', 'claude-code/multi', 'codex-cli/same', 'claude-code/same']);
  });

  it('sorts by the sessions map, whatever order the rows come in', () => {
    const late = sessions(['claude-code', 'a', '2025-06-10T00:00:00Z', '2025-06-20T00:00:00Z'], ['claude-code', 'b', '2025-06-11T00:00:00Z', '2025-06-11T01:00:00Z']);
    const report = sessionReport([row('2025-06-10T00:00:00Z', { sessionId: 'a' }), row('2025-06-11T00:00:00Z', { sessionId: 'b' })], late, { order: 'asc' });
    expect(report.rows.map((r) => r.sessionId)).toEqual(['b', 'a']);
  });

  it('keeps the N most recent sessions with `last`, in either order, and totals only those', () => {
    const asc = sessionReport(rows, info, { order: 'asc', last: 2 });
    expect(asc.rows.map((r) => r.sessionId)).toEqual(['multi', 'g1']);
    expect(asc.totals.costNanos).toBe(60);
    expect(asc.totals.events).toBe(6);
    const desc = sessionReport(rows, info, { order: 'desc', last: 2 });
    expect(desc.rows.map((r) => r.sessionId)).toEqual(['g1', 'multi']);
    expect(desc.totals).toEqual(asc.totals);
    expect(sessionReport(rows, info, { order: 'asc', last: 10 }).rows).toHaveLength(4);
  });

  it('has totals equal to the sum of its rows', () => {
    for (const last of [undefined, 1, 3]) {
      const report = sessionReport(rows, info, { order: 'asc', ...(last === undefined ? {} : { last }) });
      const total = emptyTotals();
      for (const r of report.rows) addTotals(total, r.totals);
      expect(report.totals).toEqual(total);
    }
  });

  it('lists unpriced models', () => {
    const report = sessionReport([...rows, row('2025-06-12T08:00:00Z', { agent: 'gemini-cli', sessionId: 'g1', model: 'gemini-x', costNanos: 0, unpricedEvents: 1 })], info, {
      order: 'asc',
    });
    expect(report.unpricedModels).toEqual(['gemini-x']);
  });

  it('is empty for no rows', () => {
    expect(sessionReport([], info, { order: 'asc' })).toEqual({ rows: [], totals: emptyTotals(), unpricedModels: [] });
  });
});

describe('regressions', () => {
  it('lists only the unpriced models of the sessions shown', () => {
    const rows = [row('2025-10-01T09:00:00Z', { sessionId: 'old', model: 'unpriced-x', unpricedEvents: 1 }), row('2025-10-02T09:00:00Z', { sessionId: 'a' })];
    const report = sessionReport(rows, new Map(), { order: 'asc', last: 1 });
    expect(report.rows.map((r) => r.sessionId)).toEqual(['a']);
    expect(report.unpricedModels).toEqual([]);
    expect(report.totals.unpricedEvents).toBe(0);
  });

  it("bounds a session's activity by its quarter hours when the ledger has no record of it", () => {
    const report = sessionReport([row('2025-10-01T10:00:00Z', { sessionId: 'a' }), row('2025-10-01T12:00:00Z', { sessionId: 'a' })], new Map(), { order: 'asc' });
    expect([report.rows[0]?.firstActivity, report.rows[0]?.lastActivity]).toEqual([t('2025-10-01T10:00:00Z'), t('2025-10-01T12:00:00Z')]);
  });
});
