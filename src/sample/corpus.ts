import { join } from 'node:path';
import { writeClaudeSession } from './claude-code.js';
import { writeCodexSession } from './codex-cli.js';
import { writeGeminiSession } from './gemini-cli.js';
import { Random } from './random.js';
import { TextPool, type TextKind } from './text.js';

export interface CorpusOptions {
  seed: number;
  /** Last day of activity (epoch ms); sessions spread over the `days` before it. */
  endAt: number;
  days: number;
  claudeBytes: number;
  codexBytes: number;
  geminiSessions: number;
  /** Typical size of one Claude Code transcript. */
  claudeSessionBytes: number;
  /** Typical size of one Codex rollout. */
  codexSessionBytes: number;
  /** What the text in messages and tool output reads like once escaped as JSON (default `escaped`). */
  text?: TextKind;
  /** Lines per Claude Code response, each with a copy of its usage (default: 1-3, one per content block). */
  streamedLines?: number;
}

export interface Corpus {
  claudeRoot: string;
  codexRoot: string;
  geminiRoot: string;
  bytes: number;
  sessions: number;
}

const PROJECTS = ['/home/dev/src/tokenledger', '/home/dev/src/web-shop', '/home/dev/src/data-pipeline', '/home/dev/work/api-gateway', '/home/dev/src/dotfiles'];

/** Writes a deterministic set of agent logs (Claude Code, Codex CLI, Gemini CLI) under `dir`. */
export function writeCorpus(dir: string, options: CorpusOptions): Corpus {
  const random = new Random(options.seed);
  const text = new TextPool(random, undefined, options.text);
  const corpus: Corpus = { claudeRoot: join(dir, 'claude'), codexRoot: join(dir, 'codex'), geminiRoot: join(dir, 'gemini', 'tmp'), bytes: 0, sessions: 0 };
  const dayMs = 86_400_000;
  const firstDay = Math.floor(options.endAt / dayMs) - options.days + 1;
  const startAt = (): number => {
    const day = firstDay + Math.floor(random.next() * options.days);
    return day * dayMs + random.int(7, 20) * 3_600_000 + random.int(0, 3_599) * 1000;
  };
  const cap = (at: number): number => Math.min(at, options.endAt - 3_600_000);
  const until = options.endAt;

  let claude = 0;
  while (claude < options.claudeBytes) {
    const target = Math.min(options.claudeBytes - claude, random.skewed(Math.floor(options.claudeSessionBytes / 8), options.claudeSessionBytes * 4));
    claude += writeClaudeSession(random, text, {
      root: corpus.claudeRoot,
      project: random.pick(PROJECTS),
      startAt: cap(startAt()),
      targetBytes: Math.max(Math.min(20_000, options.claudeSessionBytes), target),
      until,
      progressLines: random.chance(0.5),
      streamedLines: options.streamedLines,
    });
    corpus.sessions += 1;
  }
  let codex = 0;
  while (codex < options.codexBytes) {
    const target = random.skewed(Math.floor(options.codexSessionBytes / 8), options.codexSessionBytes * 4);
    codex += writeCodexSession(random, text, { root: corpus.codexRoot, project: random.pick(PROJECTS), startAt: cap(startAt()), targetBytes: Math.max(20_000, target), until });
    corpus.sessions += 1;
  }
  let gemini = 0;
  for (let i = 0; i < options.geminiSessions; i++) {
    gemini += writeGeminiSession(random, text, { root: corpus.geminiRoot, project: random.pick(PROJECTS), startAt: cap(startAt()), messages: random.int(3, 30), until });
    corpus.sessions += 1;
  }
  corpus.bytes = claude + codex + gemini;
  return corpus;
}
