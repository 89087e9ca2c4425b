import { expect, it } from 'vitest';
import { eachEngine } from './each-engine.js';

eachEngine('prompt bands', (t) => {
  it('keep usage apart by the largest tier cut a prompt is above', async () => {
    const prompts = [1_000, 128_000, 128_001, 200_000, 200_001, 272_000, 272_001, 600_000];
    await t.record(prompts.map((p, i) => ({ occurredAt: Date.UTC(2025, 9, 1, 10) + i, costNanos: 1, inputTokens: p - 100, cacheReadTokens: 100 })));
    const bands = (await t.ledger.usage({ namespace: 'cost-tracking' }, ['promptBand'])).map((r) => [r.promptAbove, r.events]);
    expect(bands.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [0, 2],
      [128_000, 1],
      [199_999, 1],
      [200_000, 1],
      [271_999, 1],
      [272_000, 1],
      [512_000, 1],
    ]);
    await t.assertConsistent();
  });
});
