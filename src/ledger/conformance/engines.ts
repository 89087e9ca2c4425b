import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresInspector } from '../engines/postgres/inspector.js';
import { postgresTestLocation } from '../engines/postgres/test-schema.js';
import { SqliteInspector } from '../engines/sqlite/inspector.js';
import type { Ledger } from '../ledger.js';
import type { LedgerLocation } from '../location.js';
import { openLedger } from '../open-ledger.js';
import type { Recorder } from '../recorder.js';
import type { LedgerInspector } from './inspector.js';

/** One empty ledger made for a test (or a file of tests), on one engine. */
export interface TestLedger {
  readonly location: LedgerLocation;
  readonly inspector: LedgerInspector;
  /** A new handle on the ledger (`recorder`: who records through it); `dispose` closes it if the test did not. */
  open(recorder?: Recorder): Promise<Ledger>;
  /** Closes every handle still open and removes the ledger (its file, or its schema). */
  dispose(): Promise<void>;
}

/** An engine the conformance suite runs on. */
export interface EngineUnderTest {
  readonly name: LedgerLocation['engine'];
  create(): Promise<TestLedger>;
}

/** Every ledger engine, as tests loop over them. */
const ALL: readonly EngineUnderTest[] = [
  {
    name: 'sqlite',
    // A temporary file, as FixtureLedger makes.
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tokenledger-conformance-'));
      const path = join(dir, 'ledger.db');
      return testLedger({ engine: 'sqlite', path }, new SqliteInspector(path), async () => rmSync(dir, { recursive: true, force: true }));
    },
  },
  {
    name: 'postgres',
    // A schema of its own on the local server (`postgresTestLocation`), dropped after.
    create: async () => {
      const { location, drop } = await postgresTestLocation();
      return testLedger(location, new PostgresInspector(location), drop);
    },
  },
];

/**
 * The engines tests run on: all of them, or those named in `TOKENLEDGER_TEST_ENGINES`
 * (comma-separated, e.g. `sqlite` on a machine without the local PostgreSQL).
 */
export const ENGINES: readonly EngineUnderTest[] = selected(process.env.TOKENLEDGER_TEST_ENGINES);

function selected(names: string | undefined): readonly EngineUnderTest[] {
  if (names === undefined || names.trim() === '') return ALL;
  const wanted = names.split(',').map((n) => n.trim());
  const unknown = wanted.filter((n) => !ALL.some((e) => e.name === n));
  if (unknown.length > 0) throw new Error(`TOKENLEDGER_TEST_ENGINES names no engine ${unknown.join(', ')} (engines: ${ALL.map((e) => e.name).join(', ')})`);
  return ALL.filter((e) => wanted.includes(e.name));
}

function testLedger(location: LedgerLocation, inspector: LedgerInspector, remove: () => Promise<void>): TestLedger {
  const open = new Set<Ledger>();
  return {
    location,
    inspector,
    open: async (recorder) => {
      const ledger = await openLedger(location, recorder === undefined ? {} : { recorder });
      const close = ledger.close.bind(ledger);
      ledger.close = async () => {
        if (!open.delete(ledger)) return;
        await close();
      };
      open.add(ledger);
      return ledger;
    },
    dispose: async () => {
      try {
        for (const ledger of [...open]) await ledger.close();
        await inspector.close();
      } finally {
        await remove();
      }
    },
  };
}
