import { afterEach, beforeEach } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { machineId } from '../app/recorder.js';
import type { Source } from '../core/source.js';
import type { InspectedEvent, LedgerInspector } from '../ledger/conformance/inspector.js';
import { SqliteInspector } from '../ledger/engines/sqlite/inspector.js';
import type { CommitCheck, CommitResult, Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import type { Recorder } from '../ledger/recorder.js';
import { PriceOverrides, type PriceOverrideConfig } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { sync, type SyncReport } from '../sync/sync.js';
import { recordEvents, type RecordedEvent } from './record-events.js';

export type { RecordedEvent } from './record-events.js';

/** A temporary folder holding agent roots and a real SQLite ledger, for tests. */
export class FixtureLedger {
  readonly dir: string;
  readonly dbPath: string;
  readonly env: Record<string, string>;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'tokenledger-test-'));
    this.dbPath = join(this.dir, 'ledger.db');
    this.env = {
      HOME: join(this.dir, 'home'),
      CLAUDE_CONFIG_DIR: join(this.dir, 'claude'),
      CODEX_HOME: join(this.dir, 'codex'),
      GEMINI_DATA_DIR: join(this.dir, 'gemini', 'tmp'),
    };
    // Agent folders named explicitly must exist (a missing one is warned about), even when empty.
    for (const variable of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_DATA_DIR']) mkdirSync(this.env[variable]!, { recursive: true });
  }

  /** Writes `text` at `relative` under the folder (creating parents); returns the full path. */
  write(relative: string, text: string): string {
    const path = join(this.dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  /** Copies a fixture file to `relative` under the folder. */
  copy(fixture: string, relative: string): string {
    const path = join(this.dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(fixture, path);
    return path;
  }

  async sync(sources: readonly Source[], prices: Record<string, PriceOverrideConfig> = {}, batchSize?: number): Promise<SyncReport> {
    const ledger = await openLedger({ engine: 'sqlite', path: this.dbPath });
    try {
      return await sync({ sources, namespace: 'cost-tracking', env: this.env, ledger, pricer: new Pricer(new PriceOverrides(prices)), ...(batchSize === undefined ? {} : { batchSize }) });
    } finally {
      await ledger.close();
    }
  }

  /** Records hand-made events through the ledger's writer (see `recordEvents`). */
  async record(events: readonly RecordedEvent[], name = 'events', checks: readonly CommitCheck[] = []): Promise<CommitResult> {
    const ledger = await openLedger({ engine: 'sqlite', path: this.dbPath });
    try {
      return await recordEvents(ledger, events, name, checks);
    } finally {
      await ledger.close();
    }
  }

  /**
   * `read` done on a handle of the ledger (of `recorder`'s machine: its cursors are that machine's),
   * closed after: drops, cursors, crossings, what the contract answers.
   */
  async read<T>(read: (ledger: Ledger) => Promise<T>, recorder?: Recorder): Promise<T> {
    const ledger = await openLedger({ engine: 'sqlite', path: this.dbPath }, recorder === undefined ? {} : { recorder });
    try {
      return await read(ledger);
    } finally {
      await ledger.close();
    }
  }

  /** The recorder a CLI run on this fixture records as (its machine id is kept under the fixture's home; the user is not read here). */
  cliRecorder(): Recorder {
    return { user: 'cli', machine: machineId(this.env, () => {}) };
  }

  /** What the ledger holds, looked at as every engine's test does. */
  get inspector(): LedgerInspector {
    return new SqliteInspector(this.dbPath);
  }

  /** The ledger's events, names resolved, ordered by key. */
  events(): Promise<InspectedEvent[]> {
    return this.inspector.events();
  }

  /** Fails unless every sum table of the ledger equals its events (and every reference between rows holds). */
  async assertSumsExact(): Promise<void> {
    const mismatches = [...(await this.inspector.sumMismatches()), ...(await this.inspector.orphans())];
    if (mismatches.length > 0) throw new Error(mismatches.join('; '));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Reads a fixture file next to a test (`import.meta.url` of the test, file name). */
export function fixture(testUrl: string, name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, testUrl), 'utf8');
}

/** For each test of a file: a fresh fixture with its ledger open (closed and removed after the test). */
export function fixtureEachTest(): { readonly fixture: FixtureLedger; readonly ledger: Ledger } {
  const current = {} as { fixture: FixtureLedger; ledger: Ledger };
  beforeEach(async () => {
    current.fixture = new FixtureLedger();
    current.ledger = await openLedger({ engine: 'sqlite', path: current.fixture.dbPath });
  });
  afterEach(async () => {
    await current.ledger.close();
    current.fixture.remove();
  });
  return current;
}
