import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { SOURCES } from '../sources/index.js';
import { sync, type SyncReport } from '../sync/sync.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { startFollower, type Follower, type FollowerOptions } from './follower.js';
import { transcriptLines } from './sample-lines.js';
import { watchedFolders } from './watch-folders.js';

const AT = Date.UTC(2025, 9, 10, 9);

/** Polls `check` every 10 ms until it holds, for at most `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 1000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

describe('startFollower', () => {
  let fx: FixtureLedger;
  let ledger: Ledger | undefined;
  let follower: Follower | undefined;
  const troubles: string[] = [];
  const synced: SyncReport[] = [];

  afterEach(async () => {
    await follower?.stop();
    await ledger?.close();
    follower = undefined;
    ledger = undefined;
    troubles.length = 0;
    synced.length = 0;
    fx.remove();
  });

  const count = (): Promise<number> => fx.inspector.eventCount();

  /** Follows the fixture's agent roots into its ledger, as `watch` does. */
  async function follow(extra: Partial<FollowerOptions> = {}): Promise<void> {
    ledger = await openLedger({ engine: 'sqlite', path: fx.dbPath });
    const open = ledger;
    const pricer = new Pricer(new PriceOverrides({}));
    follower = startFollower({
      folders: watchedFolders(SOURCES, fx.env).map((f) => f.folder),
      sync: (only) => sync({ sources: SOURCES, namespace: 'cost-tracking', env: fx.env, ledger: open, pricer, ...(only === undefined ? {} : { only }) }),
      onSynced: (report) => synced.push(report),
      onTrouble: (error) => troubles.push(String(error)),
      ...extra,
    });
    // The catch-up sync at start.
    await until(() => synced.length > 0, 5000);
  }

  it('records lines appended to a transcript within a second, each once', async () => {
    fx = new FixtureLedger();
    const session = transcriptLines('s-append');
    const path = fx.write('claude/projects/-home-dev-app/s-append.jsonl', session.exchange(0, AT));
    await follow();
    expect(await count()).toBe(1);
    for (let n = 1; n <= 5; n++) {
      appendFileSync(path, session.exchange(n, AT + n * 60_000));
      const waited = await until(async () => (await count()) === n + 1);
      expect(waited).toBeLessThan(1000);
    }
    // Half a line, then the rest: counted once, when whole.
    const line = session.exchange(6, AT + 360_000);
    appendFileSync(path, line.slice(0, line.length - 40));
    await new Promise((r) => setTimeout(r, 150));
    expect(await count()).toBe(6);
    appendFileSync(path, line.slice(line.length - 40));
    await until(async () => (await count()) === 7);
    expect(troubles).toEqual([]);
  });

  it('follows a root that appears after it started, and sub-folders created later', async () => {
    fx = new FixtureLedger();
    await follow();
    expect(follower!.folders.waiting).toContain(join(fx.dir, 'claude', 'projects'));
    // The root appears, already holding a transcript (written before any watch on it existed).
    const first = transcriptLines('s-late');
    fx.write('claude/projects/-home-dev-late/s-late.jsonl', first.exchange(0, AT) + first.exchange(1, AT + 1000));
    await until(async () => (await count()) === 2);
    expect(follower!.folders.waiting).not.toContain(join(fx.dir, 'claude', 'projects'));
    // A new project folder, and a subagent folder inside a session folder.
    const second = transcriptLines('s-new');
    const path = join(fx.dir, 'claude/projects/-home-dev-new/s-new.jsonl');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, second.exchange(0, AT));
    await until(async () => (await count()) === 3);
    const agent = transcriptLines('s-new');
    const agentPath = join(fx.dir, 'claude/projects/-home-dev-new/s-new/subagents/agent-a1.jsonl');
    mkdirSync(dirname(agentPath), { recursive: true });
    writeFileSync(agentPath, agent.exchange(100, AT));
    await until(async () => (await count()) === 4);
    appendFileSync(agentPath, agent.exchange(101, AT + 5000));
    await until(async () => (await count()) === 5);
    // A Codex root appearing two levels below an existing folder.
    fx.write('codex/sessions/2025/10/10/rollout-x.jsonl', '');
    await new Promise((r) => setTimeout(r, 100));
    expect(follower!.folders.waiting).not.toContain(join(fx.dir, 'codex', 'sessions'));
  });

  it('survives rotation and deletion: nothing lost, nothing twice', async () => {
    fx = new FixtureLedger();
    const session = transcriptLines('s-rot');
    const path = fx.write('claude/projects/-home-dev-app/s-rot.jsonl', session.exchange(0, AT));
    await follow();
    appendFileSync(path, session.exchange(1, AT + 1000));
    await until(async () => (await count()) === 2);
    // Rotation: the file is renamed away and a new one starts at the same path.
    renameSync(path, `${path}.1`);
    writeFileSync(path, session.exchange(2, AT + 2000));
    await until(async () => (await count()) === 3);
    appendFileSync(path, session.exchange(3, AT + 3000));
    await until(async () => (await count()) === 4);
    // The same file moved to another watched name (an archive): its events are already in.
    renameSync(path, join(dirname(path), 's-rot-archived.jsonl'));
    await new Promise((r) => setTimeout(r, 150));
    expect(await count()).toBe(4);
    // Deletion: the events stay, nothing fails; the folder itself can go and come back.
    rmSync(join(dirname(path), 's-rot-archived.jsonl'));
    rmSync(join(fx.dir, 'claude', 'projects'), { recursive: true });
    await new Promise((r) => setTimeout(r, 150));
    expect(await count()).toBe(4);
    fx.write('claude/projects/-home-dev-app/s-back.jsonl', transcriptLines('s-back').exchange(0, AT));
    await until(async () => (await count()) === 5);
    expect(troubles).toEqual([]);
    expect(synced.every((r) => r.drops.length === 0)).toBe(true);
  });

  it('keeps changes while another writer holds the ledger, and records them afterwards', async () => {
    fx = new FixtureLedger();
    const session = transcriptLines('s-lock');
    const path = fx.write('claude/projects/-home-dev-app/s-lock.jsonl', session.exchange(0, AT));
    await follow();
    // Another process takes the write lock for about a second. (better-sqlite3 waits for a lock
    // synchronously, up to the ledger's busy timeout: this process is frozen meanwhile.)
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.exec('BEGIN IMMEDIATE');process.stdout.write('locked\\n');setTimeout(()=>{db.exec('COMMIT');process.stdout.write('released '+Date.now()+'\\n');db.close()},1000)`,
        fx.dbPath,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    holder.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('locked'), 5000);
    appendFileSync(path, session.exchange(1, AT + 1000));
    appendFileSync(path, session.exchange(2, AT + 2000));
    await until(async () => (await count()) === 3, 5000);
    const recordedAt = Date.now();
    await new Promise<void>((resolve) => (holder.exitCode !== null ? resolve() : holder.once('exit', () => resolve())));
    // Recorded once the other writer let go, not dropped on the way.
    const releasedAt = Number(/released (\d+)/.exec(out)?.[1]);
    expect(releasedAt).toBeLessThanOrEqual(recordedAt);
    expect(troubles).toEqual([]);
  });

  it('never gives up on a ledger locked longer than its busy timeout: says so once, retries, loses nothing', { timeout: 40_000 }, async () => {
    fx = new FixtureLedger();
    const session = transcriptLines('s-long');
    const path = fx.write('claude/projects/-home-dev-app/s-long.jsonl', session.exchange(0, AT));
    let recovered = 0;
    await follow({ onRecovered: () => (recovered += 1) });
    // Held past the ledger's 15 s busy timeout, so the commit fails as locked.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.exec('BEGIN IMMEDIATE');process.stdout.write('locked\\n');setTimeout(()=>{db.exec('COMMIT');db.close()},16500)`,
        fx.dbPath,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    appendFileSync(path, session.exchange(1, AT + 1000));
    await until(() => troubles.length > 0, 20_000);
    expect(troubles[0]).toMatch(/the ledger .+ is locked by another writer for more than 15 s/);
    await until(async () => (await count()) === 2, 10_000);
    // The recovery is told once the commit that got through is done, which may follow the count.
    await until(() => recovered > 0, 10_000);
    expect(recovered).toBe(1);
    await new Promise<void>((resolve) => (holder.exitCode !== null ? resolve() : holder.once('exit', () => resolve())));
  });

  it('falls back to rescanning when the system refuses more watches', async () => {
    fx = new FixtureLedger();
    const session = transcriptLines('s-full');
    const path = fx.write('claude/projects/-home-dev-app/s-full.jsonl', session.exchange(0, AT));
    const said: string[] = [];
    await follow({
      watch: () => {
        throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
      },
      onDegraded: (message) => said.push(message),
      degradedRescanMs: 100,
    });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/max_user_watches/);
    appendFileSync(path, session.exchange(1, AT + 1000));
    await until(async () => (await count()) === 2);
  });

  it('uses one watch per folder, not per file', async () => {
    fx = new FixtureLedger();
    for (let p = 0; p < 3; p++) for (let s = 0; s < 10; s++) fx.write(`claude/projects/-p${p}/s${s}.jsonl`, '');
    const watched: string[] = [];
    const { watch } = await import('node:fs');
    await follow({
      watch: (path, listener): FSWatcher => {
        watched.push(path);
        return watch(path, listener);
      },
    });
    // projects/ and its three project folders, plus the ancestors awaiting the other agents' folders.
    expect(watched.filter((p) => p.includes(join('claude', 'projects')))).toHaveLength(4);
  });
});
