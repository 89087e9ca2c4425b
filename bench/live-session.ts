import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTurn } from '../src/hooks/sample-turn.js';
import { bigLedger } from './big-ledger.js';
import type { BenchContext } from './context.js';
import { removeLedger } from './ledger-files.js';

/** Events for a ledger of about 100 MB (about 113 bytes an event with its rollups and indexes). */
const EVENTS = 900_000;
const DAY_MS = 86_400_000;

/** A Claude Code session in progress beside a ledger of about 100 MB, as the hook and status line parts time them. */
export interface LiveSession {
  /** A fresh copy of the big ledger, in the part's folder. */
  db: string;
  ledgerMb: number;
  /** The Claude Code root holding the session's transcript. */
  root: string;
  transcript: string;
  cwd: string;
  /** The next turn's lines, to append to the transcript. */
  nextTurn(): string;
}

/**
 * Builds (once a day, into `.bench/hook/`) the 900,000-event ledger, copies it into `.bench/<part>/`,
 * and starts a transcript already 100 turns in.
 */
export async function liveSession(ctx: BenchContext, part: string): Promise<LiveSession> {
  const hookDir = join(ctx.work, 'hook');
  const dir = join(ctx.work, part);
  mkdirSync(hookDir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  ctx.log(`${part}: ${EVENTS.toLocaleString('en')}-event ledger (built once a day into .bench/hook/)`);
  const big = await bigLedger(join(hookDir, `ledger-900k-${new Date(today).toISOString().slice(0, 10)}.db`), EVENTS, today);
  const db = join(dir, 'run.db');
  removeLedger(db);
  copyFileSync(big, db);

  const root = join(dir, 'claude');
  rmSync(root, { recursive: true, force: true });
  const cwd = `/home/dev/src/${part}-bench`;
  const transcript = join(root, 'projects', `-home-dev-src-${part}-bench`, 'bench-session.jsonl');
  mkdirSync(join(transcript, '..'), { recursive: true });
  const start = Date.now() - 3_600_000;
  let turn = 0;
  const nextTurn = (): string => {
    turn += 1;
    return sampleTurn({ sessionId: 'bench-session', cwd, turn, at: start + turn * 20_000, cacheReadTokens: 20_000 + turn * 500 });
  };
  writeFileSync(transcript, Array.from({ length: 100 }, nextTurn).join(''));
  return { db, ledgerMb: statSync(db).size / 1e6, root, transcript, cwd, nextTurn };
}
