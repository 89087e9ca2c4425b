import { join } from 'node:path';
import { budgetGuard, type GuardOptions } from '../budgets/guard.js';
import { locationText } from '../config/locations.js';
import { describeError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerLocation } from '../ledger/location.js';
import type { Pricer } from '../pricing/pricer.js';
import { syncedSources } from '../sources/index.js';
import type { Env } from '../sources/shared/roots.js';
import { sync, type SyncReport } from '../sync/sync.js';
import { childSync } from '../watch/child-sync.js';
import type { WatchFunction } from '../watch/folder-watch.js';
import { startFollower, type Follower } from '../watch/follower.js';
import { watchedFolders, type WatchedFolder } from '../watch/watch-folders.js';

export interface AgentLogFollowing {
  ledger: Ledger;
  location: LedgerLocation;
  pricer: Pricer;
  env: Env;
  /** The partition agent logs are recorded in (as `sync` records them). */
  namespace: string;
  /** Agents whose logs are left out (config `sync.skip`). */
  skip?: readonly string[];
  /** The config file given with `--config`, passed on to the catch-up sync. */
  configPath?: string;
  guard: GuardOptions;
  debounceMs: number;
  rescanMs: number;
  verbose: boolean;
  /** After each sync that completed (its commits are in the ledger). */
  onSynced(report: SyncReport, only: readonly string[] | undefined): void;
  /** One line for the operator. */
  say(line: string): void;
  watch?: WatchFunction;
}

/**
 * Follows every source's folders into the ledger, as `tokenledger watch` and `tokenledger serve
 * --watch` do: changed files are read here; the catch-up at start and the slow rescans may read a
 * whole history, so they run as `tokenledger sync` in a child process (the memory that takes is
 * given back when it ends; measured: 149 MB left resident after catching up on 500 MB in process,
 * against the 80 MB an idle watch may use). A ledger in memory is this process's alone: read here.
 */
export function followAgentLogs(o: AgentLogFollowing): { follower: Follower; folders: WatchedFolder[] } {
  const sources = syncedSources(o.skip);
  const folders = watchedFolders(sources, o.env);
  const childArgs = ['--namespace', o.namespace, ...(o.configPath === undefined ? [] : ['--config', o.configPath])];
  const inMemory = o.location.engine === 'sqlite' && o.location.path === ':memory:';
  const follower = startFollower({
    folders: folders.map((f) => f.folder),
    debounceMs: o.debounceMs,
    rescanMs: o.rescanMs,
    sync: (only, stopping) =>
      only === undefined && !inMemory
        ? childSync(join(packageRoot(), 'bin', 'tokenledger'), childArgs, { ...o.env, TOKENLEDGER_DB: locationText(o.location) }, stopping)
        : sync({ sources, namespace: o.namespace, env: o.env, ledger: o.ledger, pricer: o.pricer, checks: [budgetGuard(o.guard)], ...(only === undefined ? {} : { only }) }),
    onSynced: o.onSynced,
    onTrouble: (error, retryInMs, attempt) => {
      // Said once per spell of trouble; the paths are kept and read once the ledger takes writes again.
      if (attempt === 1) o.say(`tokenledger: cannot record new usage yet (${describeError(error)}); nothing is lost, retrying every few seconds`);
      else if (o.verbose) o.say(`tokenledger: still cannot record (attempt ${attempt}), next try in ${Math.round(retryInMs / 1000)} s`);
    },
    onRecovered: () => o.say('tokenledger: recording again; caught up on what was written meanwhile'),
    onDegraded: o.say,
    ...(o.watch === undefined ? {} : { watch: o.watch }),
  });
  return { follower, folders };
}
