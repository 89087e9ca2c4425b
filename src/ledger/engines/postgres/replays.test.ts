import { describe, expect, it } from 'vitest';
import { PriceOverrides } from '../../../pricing/overrides.js';
import { Pricer } from '../../../pricing/pricer.js';
import { claudeCode } from '../../../sources/claude-code/index.js';
import { sync } from '../../../sync/sync.js';
import { FixtureLedger, fixture } from '../../../testing/fixture-ledger.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { postgresTestLocation, sumsDrift } from './test-schema.js';

const claudeFixture = (name: string): string => fixture(new URL('../../../sources/claude-code/claude-code.test.ts', import.meta.url).href, name);

/** Every stored request of a ledger, per session, as `sessionEvents` lists them. */
async function contents(ledger: Ledger): Promise<unknown> {
  const sessions = [...(await ledger.sessions({ namespace: 'cost-tracking' })).values()].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
  return Promise.all(sessions.map(async (s) => [s.agent, s.sessionId, await ledger.sessionEvents('cost-tracking', s.agent, s.sessionId)]));
}

/**
 * Engine-specific: streamed copies, subagent sidechains and their replays, committed with 1, 2, 3
 * and 1,000 events per transaction (so copies of one message meet across commits, where the
 * PostgreSQL writer decides against stored copies in JS), leave PostgreSQL with exactly what
 * SQLite keeps, with the same counts.
 */
describe('replays, sidechains and streamed copies across commits', () => {
  it('are settled as SQLite settles them, whatever the batch size', async () => {
    const files: [string, string][] = [
      ['claude/projects/-a/sess-1.jsonl', claudeFixture('streaming.jsonl')],
      ['claude/projects/-a/sess-1/subagents/agent-a1b2c3d.jsonl', claudeFixture('subagent-agent.jsonl')],
      ['claude/projects/-a/sess-2.jsonl', claudeFixture('subagent-parent.jsonl')],
      ['claude/projects/-a/sess-3.jsonl', claudeFixture('sidechain-replay.jsonl')],
      ['claude/projects/-b/x.jsonl', claudeFixture('sidechain-replay-first.jsonl')],
      ['claude/projects/-c/y.jsonl', claudeFixture('sidechain-replay-original.jsonl')],
      ['claude/projects/-c/z.jsonl', claudeFixture('cache-ttl.jsonl')],
    ];
    for (const batchSize of [1, 2, 3, 1000]) {
      const local = new FixtureLedger();
      const test = await postgresTestLocation();
      const sqlite = await openLedger({ engine: 'sqlite', path: local.dbPath });
      const postgres = await openLedger(test.location);
      try {
        for (const [rel, text] of files) local.write(rel, text);
        const counts = [];
        for (const ledger of [sqlite, postgres]) {
          const r = await sync({ sources: [claudeCode], namespace: 'cost-tracking', env: local.env, ledger, pricer: new Pricer(new PriceOverrides({})), batchSize });
          counts.push({ inserted: r.inserted, replaced: r.replaced, duplicates: r.duplicates });
        }
        expect(counts[1], `batch ${batchSize}`).toEqual(counts[0]);
        expect(await contents(postgres), `batch ${batchSize}`).toEqual(await contents(sqlite));
        expect(await sumsDrift(test.location)).toEqual([]);
        expect(await postgres.usage({ namespace: 'cost-tracking' }, ['session', 'model', 'promptBand'])).toEqual(
          expect.arrayContaining(await sqlite.usage({ namespace: 'cost-tracking' }, ['session', 'model', 'promptBand'])),
        );
      } finally {
        await sqlite.close();
        await postgres.close();
        await test.drop();
        local.remove();
      }
    }
  });
});
