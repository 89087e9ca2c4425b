import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { UsageEvent } from '../src/core/usage-event.js';
import type { Ledger } from '../src/ledger/ledger.js';
import { openLedger } from '../src/ledger/open-ledger.js';
import { PriceOverrides } from '../src/pricing/overrides.js';
import { Pricer } from '../src/pricing/pricer.js';
import { Random } from '../src/sample/random.js';

const MODELS: readonly (readonly [string, string, number])[] = [
  ['claude-sonnet-4-5-20250929', 'anthropic', 6],
  ['claude-opus-4-5-20251101', 'anthropic', 2],
  ['claude-haiku-4-5-20251001', 'anthropic', 3],
  ['gpt-5-codex', 'openai', 3],
  ['gemini-2.5-pro', 'google', 1],
];
const AGENT: Record<string, string> = { anthropic: 'claude-code', openai: 'codex-cli', google: 'gemini-cli' };
const DAY_MS = 86_400_000;

/**
 * The bench's ledger of one million events up to today (UTC), in `work`: built once a day, reused
 * by every part that reads it.
 */
export function todaysBigLedger(work: string): Promise<string> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return bigLedger(join(work, `ledger-1m-v2-${new Date(today).toISOString().slice(0, 10)}.db`), 1_000_000, today);
}

/**
 * A ledger of `count` events shaped like a team's year up to `endDay` (UTC epoch ms of a day):
 * sessions of 20-400 requests on one or two models, in 20 projects, spread over 365 days; prompts
 * that grow and sometimes pass 200k tokens, one-hour cache writes, subagents on Haiku; priced with
 * the real prices and written through the ledger itself. Files of other days are removed: analysis
 * commands look back from now, so the ledger is rebuilt each day it is used.
 */
export async function bigLedger(path: string, count: number, endDay: number): Promise<string> {
  if (existsSync(path)) return path;
  const prefix = basename(path).replace(/\d{4}-\d{2}-\d{2}\.db$/, '');
  for (const old of readdirSync(dirname(path))) if (old.startsWith(prefix) && old !== basename(path)) rmSync(join(dirname(path), old), { force: true });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const ledger = await openLedger({ engine: 'sqlite', path: building });
  await fillBigLedger(ledger, count, endDay);
  await ledger.close();
  renameSync(building, path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  return path;
}

/** Writes the events of `bigLedger` into `ledger` (of any engine), 20,000 or so per commit. */
export async function fillBigLedger(ledger: Ledger, count: number, endDay: number): Promise<void> {
  const random = new Random(1_000_000);
  const start = endDay - 365 * DAY_MS;
  const pricer = new Pricer(new PriceOverrides({}));
  const versionId = await ledger.priceVersionId(pricer.versionLabel);
  let written = 0;
  let session = 0;
  let batch: UsageEvent[] = [];
  const flush = async (): Promise<void> => {
    const events = await pricer.priceAll(batch, versionId);
    await ledger.commit([
      {
        from: undefined,
        to: { path: `/bench/${session}`, agent: 'bench', dev: 0, ino: session, size: 0, mtimeMs: 0, offset: 0, lineCount: 0, fingerprint: '', state: null },
        events,
        rateLimits: [],
        drops: [],
      },
    ]);
    batch = [];
  };
  while (written < count) {
    session += 1;
    const [model, provider] = random.weighted(MODELS.map(([m, p, w]) => [[m, p] as const, w] as const));
    const project = `/home/dev/src/project-${random.int(1, 20)}`;
    let at = start + random.int(0, 364) * DAY_MS + random.int(8, 20) * 3_600_000;
    const requests = Math.min(count - written, random.int(20, 400));
    const longContext = provider === 'anthropic' && random.chance(0.1);
    const hourCache = provider === 'anthropic' && random.chance(0.3);
    let context = random.int(10_000, 30_000);
    for (let i = 0; i < requests; i++) {
      at += random.int(5, 90) * 1000;
      // A pause now and then: the session is resumed later.
      if (random.chance(0.01)) at += random.int(40, 240) * 60_000;
      const sub = random.chance(0.15) && provider === 'anthropic';
      context = Math.min(longContext ? 420_000 : 150_000, context + random.int(500, 6000));
      const written5m = random.int(0, 6000);
      batch.push({
        agent: AGENT[provider] as string,
        provider,
        model: sub ? 'claude-haiku-4-5-20251001' : model,
        sessionId: `s-${session}`,
        project,
        occurredAt: at,
        dedupKey: `bench:${session}:${i}`,
        inputTokens: random.int(1, 400),
        outputTokens: random.skewed(20, 4000),
        reasoningTokens: 0,
        cacheWrite5mTokens: hourCache ? 0 : written5m,
        cacheWrite1hTokens: hourCache ? written5m : 0,
        cacheReadTokens: sub ? random.int(5_000, 40_000) : context,
        sidechain: sub,
      });
    }
    written += requests;
    if (batch.length >= 20_000) await flush();
  }
  await flush();
}
