import type { UsageEvent } from '../core/usage-event.js';
import type { OtelAgent, RecordOutcome } from '../intake/otel/otel-agent.js';
import { recordEvents } from '../ingest/record.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { FixtureLedger } from './fixture-ledger.js';
import { logRecordsOf } from './otlp-json.js';

/** What an agent makes of every record of an OTLP/JSON logs fixture it claims (the others are left out). */
export function outcomesOf(agent: OtelAgent, text: string): RecordOutcome[] {
  return logRecordsOf(text)
    .filter((r) => agent.ownsRecord(r))
    .map((r) => agent.fromRecord(r));
}

/** The usage events among `outcomes`. */
export function usageOf(outcomes: readonly RecordOutcome[]): UsageEvent[] {
  return outcomes.flatMap((o) => (o.kind === 'usage' ? [o.event] : []));
}

/** Prices and records `events` in the fixture's ledger as the intake does (standard prices). */
export function recordOtel(ledger: FixtureLedger, events: readonly UsageEvent[]): Promise<unknown> {
  return ledger.read((handle) => recordEvents({ ledger: handle, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] }, 'otlp:test', events));
}

/** An event as a fixture ledger lists it. */
export type FixtureEvent = Awaited<ReturnType<FixtureLedger['events']>>[number];

/**
 * One request read both ways, each into a ledger of its own (removed after): from the agent's log
 * (`readLog` writes and syncs it), the copy under `logKey`; from its OpenTelemetry event (`events`,
 * recorded as the intake does), the first one. `inspect` runs on the exported ledger before removal.
 */
export async function sameRequestBothWays(
  readLog: (ledger: FixtureLedger) => Promise<unknown>,
  events: readonly UsageEvent[],
  logKey: string,
  inspect: (exported: FixtureLedger) => Promise<unknown> = async () => undefined,
): Promise<{ logged: FixtureEvent | undefined; exported: FixtureEvent | undefined }> {
  const fromLog = new FixtureLedger();
  const fromOtel = new FixtureLedger();
  try {
    await readLog(fromLog);
    await recordOtel(fromOtel, events);
    const logged = (await fromLog.events()).find((e) => e.dedupKey === logKey);
    const [exported] = await fromOtel.events();
    await inspect(fromOtel);
    return { logged, exported };
  } finally {
    fromLog.remove();
    fromOtel.remove();
  }
}
