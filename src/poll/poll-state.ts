import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TokenledgerError } from '../core/errors.js';
import { contentHash } from '../ingest/text/dedup-keys.js';
import type { PreviousCapture } from './new-lines.js';

/** What poll keeps per pane between captures and runs. */
export interface PollState {
  version: 1;
  /** Random, made with the state: dedup keys are `<agent>:tmux:<stream>:<seq>`. */
  stream: string;
  /** Sequence number of the last line taken as new (every line counts, not only usage). */
  seq: number;
  socketPath: string;
  paneId: string;
  /** The pane's first process: another one means a new pane under a reused id. */
  panePid: number;
  previous: PreviousCapture | undefined;
}

/** The state file of a pane: beside the ledger, `<ledger>-poll-<hash of socket and pane id>.json`. */
export function statePath(ledgerPath: string, socketPath: string, paneId: string): string {
  return `${ledgerPath}-poll-${contentHash(`${socketPath}\n${paneId}`)}.json`;
}

export function newState(socketPath: string, paneId: string, panePid: number): PollState {
  return { version: 1, stream: randomBytes(8).toString('hex'), seq: 0, socketPath, paneId, panePid, previous: undefined };
}

/** The saved state, or undefined when there is none; a damaged file is an error (never silently restarted). */
export function loadState(path: string): PollState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TokenledgerError('IO', `cannot read the poll state ${path}`, { cause: error });
  }
  try {
    const state = JSON.parse(text) as PollState;
    if (state.version === 1 && typeof state.stream === 'string' && Number.isSafeInteger(state.seq)) return state;
  } catch {
    // reported below
  }
  throw new TokenledgerError('BAD_INPUT', `the poll state ${path} is damaged`, {
    hint: 'Delete it to start over: lines still in the pane will then be recorded again.',
  });
}

/** Writes the state atomically (a temporary file, then a rename). */
export function saveState(path: string, state: PollState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, path);
}
