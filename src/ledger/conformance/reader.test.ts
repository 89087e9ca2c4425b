import { expect, it } from 'vitest';
import { sessionKey, type RollupRow } from '../ledger.js';
import { eachEngine, type EngineCase } from './each-engine.js';

const at = (h: number, m: number): number => Date.UTC(2025, 9, 1, h, m);
const NS = 'cost-tracking';

/** Two sessions in one namespace (one with a request at the fast tier, one at flex), one in another. */
async function recorded(t: EngineCase): Promise<void> {
  await t.record([
    { sessionId: 's1', occurredAt: at(10, 5), costNanos: 100, project: '/p/a', inputTokens: 1 },
    { sessionId: 's1', occurredAt: at(10, 20), costNanos: 300, project: '/p/a', model: 'claude-opus-4-5', serviceTier: 'fast', outputTokens: 3 },
    { sessionId: 's1', occurredAt: at(11, 40), costNanos: 200, project: '/p/b', cacheReadTokens: 2 },
    { sessionId: 's2', occurredAt: at(9, 0), costNanos: 50, project: '/p/a', agent: 'codex-cli', model: 'gpt-5-codex', provider: 'openai', serviceTier: 'flex' },
    { sessionId: 's3', occurredAt: at(12, 0), costNanos: 7, project: '/p/c', agent: 'gemini-cli', model: 'gemini-2.5-pro', provider: 'google', namespace: 'elsewhere' },
  ]);
}

const usageOf = (r: RollupRow) => [r.agent, r.sessionId, r.project, r.model, new Date(r.bucketStart).toISOString().slice(11, 16), r.events, r.costNanos];

eachEngine('the reader', (t) => {
  it('lists sessions with their first and last activity, those active in a time range', async () => {
    await recorded(t);
    const sessions = [...(await t.ledger.sessions({ namespace: NS }))].map(([key, s]) => [key, s.agent, s.sessionId, s.firstActivity, s.lastActivity]);
    expect(sessions.sort()).toEqual([
      [sessionKey('claude-code', 's1'), 'claude-code', 's1', at(10, 5), at(11, 40)],
      [sessionKey('codex-cli', 's2'), 'codex-cli', 's2', at(9, 0), at(9, 0)],
    ]);
    expect([...(await t.ledger.sessions({ namespace: NS, since: at(10, 30) })).keys()]).toEqual([sessionKey('claude-code', 's1')]);
    expect([...(await t.ledger.sessions({ namespace: NS, until: at(9, 30) })).keys()]).toEqual([sessionKey('codex-cli', 's2')]);
    expect([...(await t.ledger.sessions({ namespace: NS, agents: ['codex-cli'] })).keys()]).toEqual([sessionKey('codex-cli', 's2')]);
  });

  it("gives a session's requests costliest first, from a time on", async () => {
    await recorded(t);
    const events = await t.ledger.sessionEvents(NS, 'claude-code', 's1');
    expect(events.map((e) => [e.costNanos, e.project, e.model, e.provider, e.serviceTier, e.sidechain, e.unpriced])).toEqual([
      [300, '/p/a', 'claude-opus-4-5', 'anthropic', 'fast', false, false],
      [200, '/p/b', 'claude-sonnet-4-5', 'anthropic', undefined, false, false],
      [100, '/p/a', 'claude-sonnet-4-5', 'anthropic', undefined, false, false],
    ]);
    expect(events[0]).toMatchObject({ occurredAt: at(10, 20), outputTokens: 3, inputTokens: 0 });
    expect((await t.ledger.sessionEvents(NS, 'claude-code', 's1', at(10, 10))).map((e) => e.costNanos)).toEqual([300, 200]);
    expect(await t.ledger.sessionEvents(NS, 'codex-cli', 's1')).toEqual([]);
  });

  it('lists requests served at a service tier other than standard, oldest first, and each model and tier in use', async () => {
    await recorded(t);
    expect((await t.ledger.tieredEvents({ namespace: NS })).map((e) => [e.agent, e.sessionId, e.model, e.provider, e.serviceTier, e.costNanos, e.occurredAt])).toEqual([
      ['codex-cli', 's2', 'gpt-5-codex', 'openai', 'flex', 50, at(9, 0)],
      ['claude-code', 's1', 'claude-opus-4-5', 'anthropic', 'fast', 300, at(10, 20)],
    ]);
    expect((await t.ledger.tieredEvents({ namespace: NS, agents: ['claude-code'] })).map((e) => e.serviceTier)).toEqual(['fast']);
    expect((await t.ledger.tieredEvents({ namespace: NS, since: at(9, 30) })).map((e) => e.serviceTier)).toEqual(['fast']);
    expect(await t.ledger.serviceTierUses()).toEqual([
      { model: 'claude-opus-4-5', provider: 'anthropic', serviceTier: 'fast', events: 1 },
      { model: 'gpt-5-codex', provider: 'openai', serviceTier: 'flex', events: 1 },
    ]);
  });

  it('names every project, and every namespace with the agents whose usage it holds', async () => {
    await recorded(t);
    expect(await t.ledger.projects()).toEqual(['/p/a', '/p/b', '/p/c']);
    expect(await t.ledger.partitions()).toEqual([
      { namespace: NS, agents: ['claude-code', 'codex-cli'] },
      { namespace: 'elsewhere', agents: ['gemini-cli'] },
    ]);
  });

  it('sums usage per session, project and model from its first quarter hour in the range', async () => {
    await recorded(t);
    expect((await t.ledger.sessionUsage({ namespace: NS })).map(usageOf).sort()).toEqual(
      [
        ['claude-code', 's1', '/p/a', 'claude-opus-4-5', '10:15', 1, 300],
        ['claude-code', 's1', '/p/a', 'claude-sonnet-4-5', '10:00', 1, 100],
        ['claude-code', 's1', '/p/b', 'claude-sonnet-4-5', '11:30', 1, 200],
        ['codex-cli', 's2', '/p/a', 'gpt-5-codex', '09:00', 1, 50],
      ].sort(),
    );
    // `since` is rounded out to its quarter hour (10:15).
    expect((await t.ledger.sessionUsage({ namespace: NS, since: at(10, 25) })).map(usageOf).sort()).toEqual(
      [
        ['claude-code', 's1', '/p/a', 'claude-opus-4-5', '10:15', 1, 300],
        ['claude-code', 's1', '/p/b', 'claude-sonnet-4-5', '11:30', 1, 200],
      ].sort(),
    );
    expect(await t.ledger.sessionUsage({ namespace: NS, projects: ['/p/c'] })).toEqual([]);
  });

  it('tells whether any event was priced with another price version', async () => {
    await recorded(t);
    const current = await t.ledger.priceVersionId('fixture prices');
    expect(await t.ledger.hasStale(current)).toBe(false);
    expect(await t.ledger.hasStale(await t.ledger.priceVersionId('newer prices'))).toBe(true);
  });
});
