import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { runCliOn } from '../../../testing/run-cli.js';
import type { FileBatch, Ledger } from '../../ledger.js';
import { sqliteLedger } from './index.js';
import { openDatabase } from './open.js';

// SQLite-specific: how SQLite's own failures (SQLITE_FULL, a held write lock past the busy timeout) become the ledger's errors.
let fx: FixtureLedger;
beforeEach(() => {
  fx = new FixtureLedger();
});
afterEach(() => fx.remove());

/** `count` events of one file, as a sync would commit them after `offset` lines. */
async function batch(ledger: Ledger, count: number, offset = 0): Promise<FileBatch> {
  const priceVersionId = await ledger.priceVersionId('test prices');
  const events: PricedEvent[] = Array.from({ length: count }, (_, i) => ({
    ...emptyTokens(),
    agent: 'claude-code',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: `session-${(offset + i) % 50}`,
    project: '/home/dev/app',
    dedupKey: `key-${offset + i}-${'x'.repeat(200)}`,
    namespace: 'cost-tracking',
    occurredAt: Date.UTC(2025, 9, 1) + (offset + i) * 60_000,
    inputTokens: 10,
    outputTokens: 100,
    costNanos: 1_000,
    unpriced: false,
    priceVersionId,
  }));
  const cursor = (path: string, lines: number) => ({ path, agent: 'claude-code', dev: 1, ino: 1, size: lines, mtimeMs: 0, offset: lines, lineCount: lines, fingerprint: String(lines), state: null });
  const path = '/logs/session.jsonl';
  return { from: offset === 0 ? undefined : cursor(path, offset), to: cursor(path, offset + count), events, rateLimits: [], drops: [] };
}

describe('errors of the store', () => {
  it('a full disk is DISK_FULL naming the ledger; the commit is whole or absent, and the next one resumes', async () => {
    const db = openDatabase(fx.dbPath);
    const ledger = sqliteLedger(db, fx.dbPath);
    try {
      await ledger.commit([await batch(ledger, 100)]);
      // SQLite answers SQLITE_FULL once the file would grow past this many pages, as on a full disk.
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const failed = ledger.commit([await batch(ledger, 5_000, 100)]);
      await expect(failed).rejects.toMatchObject({
        code: 'DISK_FULL',
        message: `the disk holding the ledger ${fx.dbPath} is full`,
        hint: expect.stringContaining('free some space and run again (nothing was lost'),
      });
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(100);
      expect((await ledger.cursors()).get('/logs/session.jsonl')?.offset).toBe(100);
      db.pragma('max_page_count = 1073741823');
      expect((await ledger.commit([await batch(ledger, 5_000, 100)])).inserted).toBe(5_000);
    } finally {
      await ledger.close();
    }
  });

  it('a ledger another connection holds a write transaction on past the busy timeout is LEDGER_LOCKED: exit 4, saying what to do', { timeout: 40_000 }, async () => {
    openDatabase(fx.dbPath).close();
    const holder = new Database(fx.dbPath);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = await runCliOn(fx, ['budget', 'set', '5']);
      expect(r.code).toBe(4);
      expect(r.stderr).toBe(
        `tokenledger: the ledger ${fx.dbPath} is locked by another writer for more than 15 s\n` +
          '  hint: another tokenledger (sync, watch, reprice) or another program is writing to it; run again once it is done ' +
          '(nothing was lost: what was committed stays, and the next sync resumes where the last commit ended)\n',
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await runCliOn(fx, ['budget', 'set', '5'])).code).toBe(0);
  });
});
