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
      { namespace: 'cost-tracking', agent: 'claude-code', via: 'log', otelEvents: 1 },
      { namespace: 'cost-tracking', agent: 'codex-cli', via: 'log', otelEvents: 1 },
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

/** A request the gateway metered (agent `gateway`, session = its key) to `provider`. */
const throughGateway = (provider: string, at = NOW - DAY, namespace = 'cost-tracking'): RecordedEvent => ({
  occurredAt: at,
  costNanos: 100,
  agent: 'gateway',
  provider,
  namespace,
  sessionId: 'team-key',
  dedupKey: `gw:${provider}:${at}:${namespace}`,
  recordedBy: { user: 'gateway', machine: 'gw-1' },
});

describe('OpenTelemetry usage of an agent whose provider the gateway also meters', () => {
  it('is found per agent in a namespace where both arrived within 30 days, with the way to count it once', async () => {
    await ledger.record([overOtel('claude-code'), overOtel('gemini-cli'), throughGateway('anthropic'), throughGateway('anthropic', NOW - 2 * DAY)]);
    const found = await ledger.read((l) => otelDoubleCounting(l, NOW, []));
    expect(found).toEqual([{ namespace: 'cost-tracking', agent: 'claude-code', via: 'gateway', otelEvents: 1, gatewayEvents: 2 }]);
    expect(otelDoubleCountingMessage(found[0] as (typeof found)[number], 'Claude Code')).toBe(
      'Claude Code (claude-code) usage arrived over OpenTelemetry in the last 30 days (1 event, namespace cost-tracking) and the gateway metered 2 requests to anthropic there: ' +
        'its events carry no id the gateway sees, so a request that went through the gateway and was also exported counts twice. ' +
        'Meter Claude Code one way only: stop its OpenTelemetry events (OTEL_LOGS_EXPORTER=none in its environment or managed settings), or point it at the provider directly.',
    );
  });

  it('is not found when the gateway metered another provider, another namespace, or long ago', async () => {
    await ledger.record([overOtel('claude-code'), throughGateway('openai'), throughGateway('anthropic', NOW - DAY, 'other-team'), throughGateway('anthropic', NOW - 40 * DAY)]);
    expect(await ledger.read((l) => otelDoubleCounting(l, NOW, []))).toEqual([]);
  });
});
