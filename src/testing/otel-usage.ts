import type { UsageEvent } from '../core/usage-event.js';
import type { OtelAgent, RecordOutcome } from '../intake/otel/otel-agent.js';
import { recordEvents } from '../ingest/record.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import type { FixtureLedger } from './fixture-ledger.js';
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
