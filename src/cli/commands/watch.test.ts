import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { budgetGuard } from '../../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../../budgets/ladder.js';
import { EXIT, type ExitCode } from '../../core/errors.js';
import { ZoneClock } from '../../core/zone-clock.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PriceOverrides } from '../../pricing/overrides.js';
import { Pricer } from '../../pricing/pricer.js';
import { SOURCES } from '../../sources/index.js';
import { sync } from '../../sync/sync.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';
import { transcriptLines } from '../../watch/sample-lines.js';
import type { Io } from '../io.js';
import { levels } from '../../testing/crossing-levels.js';
import { runWatch, type WatchTuning } from './watch.js';

const MODEL = 'claude-sonnet-4-5-20250929';
/** $300 per million output tokens and nothing else: an exchange of 1,000 output tokens costs $0.30. */
const PRICES = { [MODEL]: { input: 0, output: 300, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 } };
const BIN = fileURLToPath(new URL('../../../bin/tokenledger', import.meta.url));

async function until(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Running {
  stderr(): string;
  stop(): Promise<ExitCode>;
}

/** Runs `watch` in this process on the fixture (real time, real files) until `stop`. */
function startWatch(fx: FixtureLedger, flags: Record<string, unknown>, tuning: WatchTuning = {}): Running {
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  const done = runWatch(io, flags, controller.signal, tuning);
  return {
    stderr: () => stderr,
    async stop() {
      controller.abort();
      return done;
    },
  };
}

/** A webhook receiver on 127.0.0.1 that answers 500 to its first `failures` requests. */
async function receiver(failures = 0): Promise<{ url: string; bodies: Record<string, unknown>[]; requests: number; server: Server }> {
  const state = { url: '', bodies: [] as Record<string, unknown>[], requests: 0, server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.requests += 1;
      if (state.requests <= failures) {
        res.writeHead(500).end('not now');
        return;
      }
      state.bodies.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/hook`;
  return state;
}

describe('tokenledger watch', () => {
  let fx: FixtureLedger;
  let running: Running | undefined;
  let server: Server | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    server?.close();
    server = undefined;
    fx.remove();
  });

  const count = (): Promise<number> => fx.inspector.eventCount();
  const config = (value: unknown): void => writeFileSync(join(fx.dir, 'config.json'), JSON.stringify(value));
  /** The CLI in this process, with the config `startWatch` uses. */
  const cli = (args: string[], now?: number): ReturnType<typeof runCliOn> => runCliOn(fx, args, { env: { TOKENLEDGER_CONFIG: join(fx.dir, 'config.json') }, ...(now === undefined ? {} : { now }) });

  it('refuses bad flags with exit 2 before touching the ledger', async () => {
    fx = new FixtureLedger();
    const bad = await runCliOn(fx, ['watch', '--debounce', 'soon']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/--debounce expects a whole number/);
    const empty = await runCliOn(fx, ['watch', '--prometheus', ' ']);
    expect(empty.code).toBe(EXIT.usage);
    expect(empty.stderr).toMatch(/--prometheus expects a file path/);
    expect(existsSync(fx.dbPath)).toBe(false);
  });

  it('posts each crossing once to the webhook at the highest level its commit reached and says it on stderr, retrying a failing receiver', async () => {
    fx = new FixtureLedger();
    const hook = await receiver(2);
    server = hook.server;
    config({ prices: PRICES, alerts: { webhook: { url: hook.url, retries: 0, timeoutMs: 2000 } } });
    expect((await cli(['budget', 'set', '1', '--period', 'all'])).code).toBe(0);
    const session = transcriptLines('s-budget');
    const path = fx.write('claude/projects/-home-dev-app/s-budget.jsonl', session.exchange(0, Date.now(), { output_tokens: 1000 }));
    running = startWatch(fx, {}, { alertRetryMs: 100 });
    await until(() => running!.stderr().includes('following'));
    // $0.60 of $1: INFO. The receiver fails twice: the alert is given back and sent again later.
    appendFileSync(path, session.exchange(1, Date.now(), { output_tokens: 1000 }));
    await until(() => hook.bodies.length === 1, 5000);
    expect(hook.requests).toBe(3);
    expect(running.stderr()).toMatch(/webhook not delivered: HTTP 500/);
    // $0.90: WARNING and CRITICAL in one commit, announced as CRITICAL; then $1.20: HARD_STOP.
    appendFileSync(path, session.exchange(2, Date.now(), { output_tokens: 1000 }));
    await until(() => hook.bodies.length === 2, 5000);
    appendFileSync(path, session.exchange(3, Date.now(), { output_tokens: 1000 }));
    await until(() => hook.bodies.length === 3, 5000);
    // Another process reading the same ledger announces nothing again.
    expect((await cli(['sync'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const watch = running;
    running = undefined;
    expect(await watch.stop()).toBe(EXIT.ok);
    // One stderr line per crossing, even though INFO's webhook needed three tries; every level stays recorded.
    expect(watch.stderr().match(/^budget [A-Z_]+: /gm)).toEqual(['budget INFO: ', 'budget CRITICAL: ', 'budget HARD_STOP: ']);
    expect(hook.bodies.map((b) => b.level)).toEqual(['INFO', 'CRITICAL', 'HARD_STOP']);
    expect(levels(await fx.read((l) => l.crossings('cost-tracking', 0)))).toEqual(['INFO', 'WARNING', 'CRITICAL', 'HARD_STOP']);
    const first = hook.bodies[0]!;
    expect(first).toMatchObject({
      kind: 'tokenledger.budget.crossing',
      namespace: 'cost-tracking',
      level: 'INFO',
      thresholdPct: 50,
      budget: { scope: 'global', period: 'all', limitUsd: 1 },
      periodKey: 'all',
      periodStart: null,
      spentUsd: 0.6,
      utilizationPct: 60,
    });
    expect(first.text).toMatch(/^budget INFO: global all/);
    expect(typeof first.recommendedAction).toBe('string');
    expect(Date.parse(first.crossedAt as string)).toBeGreaterThan(0);
  });

  it('announces crossings other processes recorded, but none of a period that is over', async () => {
    fx = new FixtureLedger();
    const hook = await receiver();
    server = hook.server;
    config({ prices: PRICES, alerts: { webhook: { url: hook.url }, stderr: false } });
    expect((await cli(['budget', 'set', '1', '--period', 'all'])).code).toBe(0);
    expect((await cli(['budget', 'set', '1', '--period', 'today'])).code).toBe(0);
    // A sync on a past day crosses INFO of both budgets; it says so but delivers nothing.
    const day = Date.UTC(2025, 9, 1, 10);
    const session = transcriptLines('s-past');
    fx.write('claude/projects/-home-dev-app/s-past.jsonl', session.exchange(0, day, { output_tokens: 1000 }) + session.exchange(1, day + 60_000, { output_tokens: 1000 }));
    const past = await cli(['sync'], day + 3_600_000);
    expect(past.stderr.match(/^budget INFO/gm), past.stderr).toHaveLength(2);
    running = startWatch(fx, {}, { alertCheckMs: 100 });
    // Only the crossing of the budget whose period is still on (`all`) is announced.
    await until(() => hook.bodies.length === 1, 5000);
    expect(hook.bodies[0]).toMatchObject({ level: 'INFO', budget: { period: 'all' }, periodKey: 'all' });
    // Another writer (not a followed file) crosses WARNING and CRITICAL in one commit: the slow look finds it, announced as CRITICAL.
    const guard = budgetGuard({ clock: new ZoneClock('UTC'), startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => Date.now() });
    await fx.record([{ occurredAt: Date.now(), costNanos: 300_000_000 }], 'elsewhere', [guard]);
    await until(() => hook.bodies.length === 2, 5000);
    expect(hook.bodies.map((b) => b.level)).toEqual(['INFO', 'CRITICAL']);
    expect(running.stderr()).not.toMatch(/^budget /m);
  });

  it('keeps the Prometheus textfile fresh after commits', async () => {
    fx = new FixtureLedger();
    config({ prices: PRICES });
    const textfile = join(fx.dir, 'metrics', 'tokenledger.prom');
    mkdirSync(dirname(textfile), { recursive: true });
    const session = transcriptLines('s-prom');
    const path = fx.write('claude/projects/-home-dev-app/s-prom.jsonl', session.exchange(0, Date.now(), { output_tokens: 1000 }));
    running = startWatch(fx, { prometheus: textfile }, { prometheusGapMs: 50 });
    const total = (): string | undefined => (existsSync(textfile) ? /^cost_tracker_total_usd\S* (\S+)$/m.exec(readFileSync(textfile, 'utf8'))?.[1] : undefined);
    await until(() => total() === '0.3');
    appendFileSync(path, session.exchange(1, Date.now(), { output_tokens: 1000 }));
    await until(() => total() === '0.6');
    const watch = running;
    running = undefined;
    expect(await watch.stop()).toBe(EXIT.ok);
  });

  it('takes the files dropped into --drop-dir as they arrive', async () => {
    fx = new FixtureLedger();
    config({});
    const drop = join(fx.dir, 'drop');
    mkdirSync(drop);
    const event = (id: string): Record<string, unknown> => ({ id, instance_id: 'ci-runner', model: MODEL, input_tokens: 1000, output_tokens: 100, ts: new Date().toISOString() });
    writeFileSync(join(drop, 'before.json'), JSON.stringify(event('e0')));
    running = startWatch(fx, { dropDir: drop });
    await until(async () => existsSync(fx.dbPath) && (await count()) === 1);
    // A writer that drops its file by renaming it into place, and one that writes it there.
    writeFileSync(join(drop, '.e1.json.tmp'), JSON.stringify([event('e1'), event('e2')]));
    renameSync(join(drop, '.e1.json.tmp'), join(drop, 'e1.json'));
    await until(async () => (await count()) === 3);
    writeFileSync(join(drop, 'e3.jsonl'), `${JSON.stringify(event('e3'))}\n`);
    await until(async () => (await count()) === 4);
    await until(() => readdirSync(drop).filter((n) => n.endsWith('.json') || n.endsWith('.jsonl')).length === 0);
    expect(readdirSync(join(drop, 'processed')).sort()).toEqual(['before.json', 'e1.json', 'e3.jsonl']);
    const missing = await cli(['watch', '--drop-dir', join(fx.dir, 'nowhere')]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/--drop-dir expects an existing folder/);
  });

  it('stops on SIGTERM during activity with exit 0 and a ledger equal to a clean sync', async () => {
    fx = new FixtureLedger();
    config({});
    const env = { ...process.env, ...fx.env, TOKENLEDGER_DB: fx.dbPath, TOKENLEDGER_CONFIG: join(fx.dir, 'config.json'), TZ: 'UTC' };
    const child = spawn(process.execPath, [BIN, 'watch', '--debounce', '5', '--verbose'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Started, and the catch-up (a child `sync`) done.
    await until(() => stderr.includes('synced every file') || child.exitCode !== null, 10_000);
    expect(stderr).toContain('following');
    // Three sessions written to at once, the signal arriving in the middle of it.
    const sessions = [0, 1, 2].map((i) => ({ lines: transcriptLines(`s-term-${i}`), path: fx.write(`claude/projects/-home-dev-p${i}/s-term-${i}.jsonl`, '') }));
    const at = Date.UTC(2025, 9, 10, 9);
    for (let n = 0; n < 300; n++) {
      for (const s of sessions) appendFileSync(s.path, s.lines.exchange(n, at + n * 1000));
      if (n === 150) {
        // Once watch has recorded some of it, while it is still being written to.
        await until(async () => existsSync(fx.dbPath) && (await count()) > 0, 5000);
        child.kill('SIGTERM');
      }
      if (n % 20 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('tokenledger watch: stopped');
    const watched = await fx.events();
    expect(watched.length).toBeGreaterThan(0);

    // A clean sync of the same files into another ledger.
    const cleanPath = join(fx.dir, 'clean.db');
    const clean = await openLedger({ engine: 'sqlite', path: cleanPath });
    await sync({ sources: SOURCES, namespace: 'cost-tracking', env: fx.env, ledger: clean, pricer: new Pricer(new PriceOverrides({})) });
    await clean.close();
    const cleanFx = Object.assign(Object.create(FixtureLedger.prototype) as FixtureLedger, { dbPath: cleanPath });
    const expected = await cleanFx.events();
    expect(expected).toHaveLength(900);
    // What watch recorded is exactly part of it (nothing twice, nothing half) …
    const byKey = new Map(expected.map((e) => [e.dedupKey, e]));
    for (const e of watched) expect(e).toEqual(byKey.get(e.dedupKey));
    await fx.assertSumsExact();
    // … and the next start catches up to all of it.
    await fx.sync(SOURCES);
    expect(await fx.events()).toEqual(expected);
    expect(await count()).toBe(900);
  });

  it('follows no folder of an agent the config leaves out of sync (sync.skip)', async () => {
    fx = new FixtureLedger();
    config({ prices: PRICES, sync: { skip: ['claude'] } });
    const session = transcriptLines('s-skipped');
    fx.write('claude/projects/-home-dev-app/s-skipped.jsonl', session.exchange(0, Date.now(), { output_tokens: 1000 }));
    const watch = startWatch(fx, {});
    running = watch;
    await until(() => watch.stderr().includes('following'));
    expect(watch.stderr()).toMatch(/following codex-cli \(.*\), gemini-cli \(/);
    expect(watch.stderr()).not.toContain('claude-code (');
    expect(await watch.stop()).toBe(EXIT.ok);
    running = undefined;
    expect(await count()).toBe(0);
  });
});

describe('tokenledger watch --push', () => {
  let fx: FixtureLedger;
  let running: Running | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    fx.remove();
  });

  const teamEvents = async (path: string): Promise<number> => {
    if (!existsSync(path)) return -1;
    const ledger = await openLedger({ engine: 'sqlite', path });
    try {
      return (await ledger.usage({ namespace: 'cost-tracking' }, []))[0]?.events ?? 0;
    } finally {
      await ledger.close();
    }
  };
  const eventually = async (check: () => Promise<boolean>): Promise<void> => {
    let met = false;
    for (let i = 0; i < 500 && !(met = await check()); i++) await new Promise((r) => setTimeout(r, 20));
    if (!met) throw new Error('condition not met');
  };

  it('pushes what it records, says a remote it cannot reach once, and sends everything once it can', async () => {
    fx = new FixtureLedger();
    writeFileSync(join(fx.dir, 'config.json'), '{}');
    const team = join(fx.dir, 'later', 'team.db');
    const session = transcriptLines('s-push');
    const path = fx.write('claude/projects/-home-dev-app/s-push.jsonl', session.exchange(0, Date.now(), { output_tokens: 10 }));
    running = startWatch(fx, { push: team }, { pushGapMs: 0, pushRetryMs: 50 });
    await until(() => running!.stderr().includes(`pushing to ${team}`));
    await until(() => running!.stderr().includes('cannot push to'), 5000);
    appendFileSync(path, session.exchange(1, Date.now(), { output_tokens: 10 }));
    await eventually(async () => (await fx.inspector.eventCount()) === 2);
    // The team's folder appears: the next try sends both events, and later ones follow.
    mkdirSync(dirname(team));
    await eventually(async () => (await teamEvents(team)) === 2);
    appendFileSync(path, session.exchange(2, Date.now(), { output_tokens: 10 }));
    await eventually(async () => (await teamEvents(team)) === 3);
    const watch = running;
    running = undefined;
    expect(await watch.stop()).toBe(EXIT.ok);
    expect(watch.stderr().match(/cannot push to/g)).toHaveLength(1);
    expect(watch.stderr()).toContain(`pushing to ${team} again`);
  });
});
