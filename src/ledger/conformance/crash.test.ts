import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommitCheck } from '../ledger.js';
import { childScript } from './child-script.js';
import { eachEngine, type EngineCase } from './each-engine.js';
import { KILLED_PATH, killedBatch } from './killed-batch.js';

/** The killed writer, as a script node runs. */
let script: Awaited<ReturnType<typeof childScript>>;
beforeAll(async () => {
  script = await childScript('killed-writer');
});
afterAll(() => script.remove());

/** Everything a commit of `killedBatch` would change. */
async function content(t: EngineCase) {
  return {
    events: await t.inspector.events(),
    cursors: await t.ledger.cursors(),
    drops: await t.ledger.drops(1_000),
    rateLimits: await t.inspector.rateLimits(),
    usage: await t.ledger.usage({ namespace: 'cost-tracking' }, ['session', 'bucket']),
  };
}

/** A ledger with some usage and a budget (so that every commit runs its checks). */
async function started(t: EngineCase): Promise<void> {
  await t.ledger.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: 1e12, setAt: 0 });
  await t.record([{ occurredAt: Date.UTC(2025, 9, 9), costNanos: 5 }], 'before');
}

/** The next writer commits the same batch whole. */
async function completes(t: EngineCase, before: Awaited<ReturnType<typeof content>>): Promise<void> {
  const batch = killedBatch(await t.ledger.priceVersionId('fixture prices'));
  expect(await t.ledger.commit([batch])).toMatchObject({ inserted: batch.events.length, duplicates: 0, skipped: 0 });
  expect(await t.inspector.eventCount()).toBe(before.events.length + batch.events.length);
  expect((await t.ledger.cursors([KILLED_PATH])).get(KILLED_PATH)?.offset).toBe(batch.to.offset);
  expect((await t.ledger.drops(1_000)).map((d) => d.path)).toContain(KILLED_PATH);
  await t.assertConsistent();
}

eachEngine('a commit that does not finish', (t) => {
  it('fails whole when it fails inside its transaction: nothing of it is kept, and the next commit completes exactly', async () => {
    await started(t);
    const before = await content(t);
    const failing: CommitCheck = {
      reads: () => {
        throw new Error('failed inside the commit');
      },
      crossings: () => [],
    };
    const batch = killedBatch(await t.ledger.priceVersionId('fixture prices'));
    await expect(t.ledger.commit([batch], [failing])).rejects.toThrow('failed inside the commit');
    expect(await content(t)).toEqual(before);
    await t.assertConsistent();
    await completes(t, before);
  });

  it('leaves nothing half-written when its process is killed inside the transaction, and the next commit completes exactly', async () => {
    await started(t);
    const before = await content(t);
    const child = spawn(process.execPath, [script.path, JSON.stringify(t.location)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('inside') && resolve());
      void exited.then(() => reject(new Error(`the writer ended before its commit was under way: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await exited;
    expect(await content(t)).toEqual(before);
    await t.assertConsistent();
    await completes(t, before);
  });
});
