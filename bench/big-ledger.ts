import { existsSync, renameSync, rmSync } from 'node:fs';
import type { PricedEvent } from '../src/core/usage-event.js';
import { openLedger } from '../src/ledger/open-ledger.js';
import { PriceOverrides } from '../src/pricing/overrides.js';
import { priceVersionLabel } from '../src/pricing/price-table.js';
import { Random } from '../src/sample/random.js';

const MODELS: readonly (readonly [string, string, number])[] = [
  ['claude-sonnet-4-5-20250929', 'anthropic', 6],
  ['claude-opus-4-5-20251101', 'anthropic', 2],
  ['claude-haiku-4-5-20251001', 'anthropic', 3],
  ['gpt-5-codex', 'openai', 3],
  ['gemini-2.5-pro', 'google', 1],
];
const AGENT: Record<string, string> = { anthropic: 'claude-code', openai: 'codex-cli', google: 'gemini-cli' };

/**
 * A ledger of `count` events shaped like a team's year: sessions of 20-400 requests on one or two
 * models, in 20 projects, spread over 365 days; written through the ledger itself.
 */
export async function bigLedger(path: string, count: number): Promise<string> {
  if (existsSync(path)) return path;
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const ledger = openLedger({ engine: 'sqlite', path: building });
  const random = new Random(1_000_000);
  const start = Date.UTC(2024, 10, 20);
  // Priced with the current price version, as a ledger kept up to date would be.
  const versionId = await ledger.priceVersionId(priceVersionLabel(new PriceOverrides({})));
  let written = 0;
  let session = 0;
  let batch: PricedEvent[] = [];
  const flush = async (): Promise<void> => {
    await ledger.commit([{ from: undefined, to: { path: `/bench/${session}`, agent: 'bench', dev: 0, ino: session, size: 0, mtimeMs: 0, offset: 0, lineCount: 0, fingerprint: '', state: null }, events: batch, rateLimits: [], drops: [] }]);
    batch = [];
  };
  while (written < count) {
    session += 1;
    const [model, provider] = random.weighted(MODELS.map(([m, p, w]) => [[m, p] as const, w] as const));
    const project = `/home/dev/src/project-${random.int(1, 20)}`;
    let at = start + random.int(0, 364) * 86_400_000 + random.int(8, 20) * 3_600_000;
    const requests = Math.min(count - written, random.int(20, 400));
    for (let i = 0; i < requests; i++) {
      at += random.int(5, 90) * 1000;
      const sub = random.chance(0.15);
      batch.push({
        agent: AGENT[provider] as string,
        provider,
        model: sub && provider === 'anthropic' ? 'claude-haiku-4-5-20251001' : model,
        sessionId: `s-${session}`,
        project,
        occurredAt: at,
        dedupKey: `bench:${session}:${i}`,
        inputTokens: random.int(1, 400),
        outputTokens: random.skewed(20, 4000),
        reasoningTokens: 0,
        cacheWrite5mTokens: random.int(0, 6000),
        cacheWrite1hTokens: 0,
        cacheReadTokens: random.int(10_000, 150_000),
        costNanos: random.int(1_000_000, 90_000_000),
        priceVersionId: versionId,
        unpriced: false,
      });
    }
    written += requests;
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  await ledger.close();
  renameSync(building, path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  return path;
}
