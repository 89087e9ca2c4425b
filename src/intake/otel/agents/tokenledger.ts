import { ledgerProvider } from '../../../core/gen-ai-provider.js';
import type { OtelAgent } from '../otel-agent.js';
import type { Attributes } from '../otlp-record.js';
import { textOf } from '../record-fields.js';
import { type MetricReading, seriesEvent, seriesOfPoint } from './metric-series.js';

/** What an agent or provider id may look like (as `ingest` accepts them). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_PROBLEM = (key: string) => `${key} must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit`;

/**
 * The counters `tokenledger export --otlp` sends (`sinks/otel/metric-names.ts`): tokens by
 * `tokenledger.token.type`, the ledger's disjoint buckets (`reasoning` is the part of `output`
 * that was reasoning), and the ledger's cost in dollars on the same series without the type.
 */
const METRICS: MetricReading = {
  tokens: 'tokenledger.usage.tokens',
  cost: 'tokenledger.usage.cost',
  typeKey: 'tokenledger.token.type',
  types: ['input', 'output', 'reasoning', 'cache_read', 'cache_write_5m', 'cache_write_1h'],
  counts: (n) => ({
    inputTokens: n('input'),
    outputTokens: n('output'),
    reasoningTokens: n('reasoning'),
    cacheWrite5mTokens: n('cache_write_5m'),
    cacheWrite1hTokens: n('cache_write_1h'),
    cacheReadTokens: n('cache_read'),
  }),
  filedUnder,
  modelKey: 'gen_ai.request.model',
  userKeys: ['user.name'],
};

/**
 * tokenledger's own OpenTelemetry metrics (`tokenledger export --otlp`), read back by another
 * ledger: a round trip. Windows are filed under the agent they name (`tokenledger.agent`) and the
 * provider of `gen_ai.provider.name` under the ledger's id (`gcp.gemini` is `google`), under the
 * user of `user.name` when exported. Read only when metrics ingestion is turned on; never export a
 * ledger into itself (the copies would have other keys than the events they came from, and count twice).
 */
export const tokenledgerOtel: OtelAgent = {
  agent: 'tokenledger',
  label: "tokenledger (metrics tokenledger.usage.tokens and .cost, from another ledger's export)",
  ownsRecord() {
    return false;
  },
  fromRecord() {
    return { kind: 'ignored' };
  },
  // Every point of an export (the GenAI histogram too, which is not read back) is its own, never an unknown agent's.
  ownsPoint(point) {
    return point.metric.name.startsWith('tokenledger.') || point.resource['service.name'] === 'tokenledger';
  },
  seriesOf(point) {
    return seriesOfPoint(point, METRICS);
  },
  fromSeries(points) {
    return seriesEvent(points, METRICS, Date.now());
  },
};

function filedUnder(attributes: Attributes): { agent: string; provider: string } | { problem: string } {
  const agent = textOf(attributes, 'tokenledger.agent');
  if (agent === undefined) return { problem: 'tokenledger.agent is missing' };
  if (!NAME.test(agent)) return { problem: NAME_PROBLEM('tokenledger.agent') };
  const provider = textOf(attributes, 'gen_ai.provider.name');
  if (provider === undefined) return { problem: 'gen_ai.provider.name is missing' };
  if (!NAME.test(provider)) return { problem: NAME_PROBLEM('gen_ai.provider.name') };
  return { agent, provider: ledgerProvider(provider) };
}
