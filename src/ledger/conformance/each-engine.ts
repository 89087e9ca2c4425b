import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import type { Env } from '../../sources/shared/roots.js';
import type { Source } from '../../core/source.js';
import { PriceOverrides, type PriceOverrideConfig } from '../../pricing/overrides.js';
import { Pricer } from '../../pricing/pricer.js';
import { SOURCES } from '../../sources/index.js';
import { sync, type SyncReport } from '../../sync/sync.js';
import { recordEvents, type RecordedEvent } from '../../testing/record-events.js';
import type { CommitCheck, CommitResult, Ledger } from '../ledger.js';
import type { LedgerLocation } from '../location.js';
import type { Recorder } from '../recorder.js';
import { ENGINES, type EngineUnderTest, type TestLedger } from './engines.js';
import type { LedgerInspector } from './inspector.js';

/** What a conformance test has at hand: a fresh ledger on one engine, a handle on it open. */
export class EngineCase {
  #made: TestLedger | undefined;
  #ledger: Ledger | undefined;

  constructor(readonly engine: EngineUnderTest) {}

  /** The handle opened for the test (the local recorder). */
  get ledger(): Ledger {
    if (this.#ledger === undefined) throw new Error('the ledger is opened before each test (or file)');
    return this.#ledger;
  }

  /** Where the test's ledger lives (for a process of its own to open). */
  get location(): LedgerLocation {
    return this.made.location;
  }

  get inspector(): LedgerInspector {
    return this.made.inspector;
  }

  /** Another handle on the same ledger, as another process (or machine, with its recorder) would open. */
  open(recorder?: Recorder): Promise<Ledger> {
    return this.made.open(recorder);
  }

  /** Records hand-made events through the test's handle (see `recordEvents`). */
  record(events: readonly RecordedEvent[], name?: string, checks?: readonly CommitCheck[]): Promise<CommitResult> {
    return recordEvents(this.ledger, events, name, checks);
  }

  /** Syncs the agent logs `env` points at into the ledger (through `ledger`, else the test's handle), as `tokenledger sync` does in one thread (`batchSize` events a commit). */
  sync(env: Env, options: { sources?: readonly Source[]; prices?: Record<string, PriceOverrideConfig>; batchSize?: number; ledger?: Ledger } = {}): Promise<SyncReport> {
    const { sources = SOURCES, prices = {}, batchSize, ledger = this.ledger } = options;
    return sync({ sources, namespace: 'cost-tracking', env, ledger, pricer: new Pricer(new PriceOverrides(prices)), ...(batchSize === undefined ? {} : { batchSize }) });
  }

  /** Fails unless every sum table equals the events and every reference between rows holds. */
  async assertConsistent(): Promise<void> {
    const problems = [...(await this.inspector.sumMismatches()), ...(await this.inspector.orphans())];
    if (problems.length > 0) throw new Error(`${this.engine.name}: ${problems.join('; ')}`);
  }

  async setUp(): Promise<void> {
    this.#made = await this.engine.create();
    this.#ledger = await this.#made.open();
  }

  async tearDown(): Promise<void> {
    const made = this.#made;
    this.#made = undefined;
    this.#ledger = undefined;
    await made?.dispose();
  }

  private get made(): TestLedger {
    if (this.#made === undefined) throw new Error('the ledger is made before each test (or file)');
    return this.#made;
  }
}

/**
 * Declares `body`'s tests once per engine, in a `describe` named after the engine (the way
 * Kysely's tests loop over dialects); each test gets a fresh ledger.
 */
export function eachEngine(title: string, body: (t: EngineCase) => void): void {
  declare(title, body, beforeEach, afterEach);
}

/** As `eachEngine`, but the tests of one engine share one ledger, made before the first (a corpus synced once). */
export function eachEngineShared(title: string, body: (t: EngineCase) => void): void {
  declare(title, body, beforeAll, afterAll);
}

function declare(title: string, body: (t: EngineCase) => void, before: typeof beforeAll, after: typeof afterAll): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine.name}]`, () => {
      const t = new EngineCase(engine);
      before(() => t.setUp());
      after(() => t.tearDown());
      body(t);
    });
  }
}

/**
 * A case some engine cannot pass yet: skipped there, its title saying why (a reason the reader can
 * act on), and run on every other engine.
 */
export function itUnless(t: EngineCase, gaps: Partial<Record<EngineUnderTest['name'], string>>, title: string, fn: () => Promise<void>): void {
  const reason = gaps[t.engine.name];
  if (reason === undefined) it(title, fn);
  else it.skip(`${title} (skipped: ${reason})`, fn);
}
