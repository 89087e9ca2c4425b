import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { budgetGuard, type Crossing } from '../budgets/guard.js';
import { badArgument, describeError, TokenledgerError } from '../core/errors.js';
import { copyChanges, type CopyResult } from '../ledger/copy-changes.js';
import type { Ledger } from '../ledger/ledger.js';
import { describeLocation, parseLedgerLocation, type LedgerLocation } from '../ledger/location.js';
import { openLedger } from '../ledger/open-ledger.js';
import type { Recorder } from '../ledger/recorder.js';
import { expandHome } from '../sources/shared/roots.js';
import { guardOptions, type Workspace } from './workspace.js';

/** Which way a copy goes: `push` sends the local ledger's changes to the remote, `pull` brings the remote's here. */
export type CopyDirection = 'push' | 'pull';

export interface RemoteCopyReport extends Omit<CopyResult, 'crossings'> {
  direction: CopyDirection;
  /** The remote, as messages show it (never its password). */
  remote: string;
  /** The change position (of the ledger read from) the copy started after. */
  from: number;
}

/** The ledger `given` names (a PostgreSQL URL or a SQLite file path, `~` expanded and made absolute). */
export function remoteLocation(given: string, env: Record<string, string | undefined>): LedgerLocation {
  if (given.trim() === '') throw badArgument('expected the remote ledger: a postgres:// URL or a ledger file path, got an empty one');
  const location = parseLedgerLocation(given);
  if (location.engine === 'postgres') return location;
  if (given === ':memory:') throw badArgument('a :memory: ledger cannot be pushed to or pulled from: it keeps nothing');
  return { engine: 'sqlite', path: resolve(expandHome(given, env.HOME ?? homedir())) };
}

/**
 * The mark the local ledger keeps for a remote: how far a push got (a position of the local
 * ledger) or a pull (a position of the remote). Keyed by the remote as shown, never its password.
 */
export function markName(direction: CopyDirection, remote: LedgerLocation, remoteId: string): string {
  return `${direction}:${describeLocation(remote)}#${remoteId}`;
}

/**
 * Opens the remote ledger; one that cannot be opened is named (without password) in a
 * LEDGER_UNREACHABLE error; it is written as `recorder`. A remote ledger file is created by a push into an existing folder,
 * never by a pull (there would be nothing to pull).
 */
export async function openRemote(remote: LedgerLocation, direction: CopyDirection, recorder: Recorder): Promise<Ledger> {
  const unreachable = (reason: string, cause?: unknown): TokenledgerError =>
    new TokenledgerError('LEDGER_UNREACHABLE', `cannot reach the remote ledger ${describeLocation(remote)}: ${reason}`, {
      hint: 'check the address (and that the server is up and reachable from here); nothing was copied',
      cause,
    });
  if (remote.engine === 'sqlite') {
    if (direction === 'pull' && !existsSync(remote.path)) throw unreachable('no such ledger file');
    if (direction === 'push' && !existsSync(dirname(remote.path))) throw unreachable('its folder does not exist');
  }
  try {
    // Written through as this machine: origins (and anything else kept per machine) are its own.
    return await openLedger(remote, { recorder });
  } catch (error) {
    if (error instanceof TokenledgerError && error.code !== 'INTERNAL' && error.code !== 'IO') throw error;
    throw unreachable(describeError(error), error);
  }
}

/**
 * Pushes the workspace's ledger to `remote`, or pulls from it, from the position the local ledger
 * remembers (or from the start with `all`). The mark moves after each page the target committed,
 * so an interrupted copy re-sends at most a page, which the target's dedup keys make harmless.
 * Budget levels the target's commits cross are collected in `crossings`.
 */
export async function copyWithRemote(
  ws: Workspace,
  remoteLedger: Ledger,
  remote: LedgerLocation,
  direction: CopyDirection,
  options: { all?: boolean; crossings: Crossing[] },
): Promise<RemoteCopyReport> {
  // Keyed by the remote's id too: a team ledger made again at the same address is copied whole.
  const name = markName(direction, remote, await remoteLedger.ledgerId());
  const local = ws.ledger;
  const from = options.all === true ? 0 : await local.mark(name);
  const result = await copyChanges({
    source: direction === 'push' ? local : remoteLedger,
    target: direction === 'push' ? remoteLedger : local,
    after: from,
    kind: direction,
    checks: [budgetGuard(guardOptions(ws), (crossing) => options.crossings.push(crossing))],
    // A ledger that can only be read here pushes all the same, without remembering how far.
    committed: async (position) => (local.readOnly ? undefined : local.setMark(name, position)),
  });
  const { crossings: _recorded, ...counts } = result;
  return { direction, remote: describeLocation(remote), from, ...counts };
}

/** Refuses copying a ledger to itself (it would only re-read everything). */
export function refuseSelf(ws: Workspace, remote: LedgerLocation): void {
  const same = ws.location.engine === 'sqlite' && remote.engine === 'sqlite' ? resolve(ws.location.path) === resolve(remote.path) : describeLocation(ws.location) === describeLocation(remote);
  if (same) {
    throw badArgument(`the remote ledger ${describeLocation(remote)} is the local ledger itself`, "give another ledger: the team's postgres:// URL or another ledger file");
  }
}
