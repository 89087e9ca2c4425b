import { type Corpus, writeCorpus } from './corpus.js';

/** How many days of usage the demo's sample covers, up to its end. */
export const DEMO_DAYS = 14;

/**
 * The sample `tokenledger demo` reports on (and the README's dashboard picture shows): two weeks of
 * Claude Code, Codex and Gemini CLI logs up to `endAt`, the same for the same end.
 */
export function writeDemoSample(dir: string, endAt: number): Corpus {
  return writeCorpus(dir, {
    seed: 20_250_101,
    endAt,
    days: DEMO_DAYS,
    claudeBytes: 6_000_000,
    codexBytes: 1_500_000,
    geminiSessions: 8,
    claudeSessionBytes: 120_000,
    codexSessionBytes: 100_000,
  });
}
