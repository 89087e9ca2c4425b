import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger, type RecordedEvent } from '../../testing/fixture-ledger.js';
import { otelDoubleCounting, otelDoubleCountingMessage } from './double-counting.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const DAY = 86_400_000;

let ledger: FixtureLedger;
beforeEach(() => (ledger = new FixtureLedger()));
afterEach(() => ledger.remove());

/** An event of `agent` that arrived over OpenTelemetry (filed under an `otlp` machine). */
const overOtel = (agent: string, at = NOW - DAY, machine = 'otlp:dev-laptop'): RecordedEvent => ({
  occurredAt: at,
  costNanos: 100,
  agent,
  sessionId: `otel-${agent}-${at}`,
  dedupKey: `otel:${agent}:s:${at}`,
  recordedBy: { user: 'dev@example.com', machine },
});

describe('OpenTelemetry usage of an agent whose logs this machine also reads', () => {
  it('is found for each such agent, in each namespace, within 30 days', async () => {
    await ledger.record([overOtel('claude-code'), overOtel('codex-cli', NOW - 2 * DAY, 'otlp'), { occurredAt: NOW - DAY, costNanos: 5, sessionId: 'from-log' }]);
    const found = await ledger.read((l) => otelDoubleCounting(l, NOW, ['claude-code', 'codex-cli', 'gemini-cli']));
    expect(found).toEqual([
      { namespace: 'cost-tracking', agent: 'claude-code', otelEvents: 1 },
      { namespace: 'cost-tracking', agent: 'codex-cli', otelEvents: 1 },
    ]);
    expect(otelDoubleCountingMessage(found[0] as (typeof found)[number], 'Claude Code')).toBe(
      `Claude Code (claude-code) usage arrived over OpenTelemetry in the last 30 days (1 event, namespace cost-tracking) and this machine also reads Claude Code's logs: ` +
        `its events carry no id its log lines have, so a request in both counts twice. Count Claude Code by one of the two only: leave its logs out of tokenledger's sync with ` +
        `"sync": { "skip": ["claude-code"] } in the config, or stop its OpenTelemetry events (OTEL_LOGS_EXPORTER=none in its environment or managed settings).`,
    );
  });

  it("is not found when this machine does not read the agent's logs, when the usage is older, or when none came over OpenTelemetry", async () => {
    await ledger.record([overOtel('gemini-cli', NOW - 31 * DAY), overOtel('codex-cli'), { occurredAt: NOW - DAY, costNanos: 5, sessionId: 'from-log' }]);
    expect(await ledger.read((l) => otelDoubleCounting(l, NOW, ['claude-code', 'gemini-cli']))).toEqual([]);
    expect(await ledger.read((l) => otelDoubleCounting(l, NOW, []))).toEqual([]);
  });
});
