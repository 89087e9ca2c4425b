import type { TokenCounts } from '../../../core/usage-event.js';
import type { OtelAgent } from '../otel-agent.js';
import { textOf } from '../record-fields.js';
import { metricPointEvent } from './metric-point.js';

/** The counter `tokenledger export --otlp` sends tokens on, and its attributes. */
const TOKENS = 'tokenledger.usage.tokens';
/**
 * `tokenledger.token.type` → bucket. `reasoning` is part of `output` (already counted there) and is
 * not read: a point of it alone bills nothing, and the copies of a cumulative series are settled by
 * billed tokens, so it could not be updated in place.
 */
const TOKEN_TYPES: Record<string, readonly (keyof TokenCounts)[]> = {
  input: ['inputTokens'],
  output: ['outputTokens'],
  cache_read: ['cacheReadTokens'],
  cache_write_5m: ['cacheWrite5mTokens'],
  cache_write_1h: ['cacheWrite1hTokens'],
};

/**
 * tokenledger's own OpenTelemetry metrics (`tokenledger export --otlp`), read back by another
 * ledger: a round trip. Points are filed under the agent and provider they name
 * (`tokenledger.agent`, `gen_ai.provider.name`), under the user of `user.name` when exported. Read
 * only when metrics ingestion is turned on; never export a ledger into itself (the copies would
 * have other keys than the events they came from, and count twice).
 */
export const tokenledgerOtel: OtelAgent = {
  agent: 'tokenledger',
  label: "tokenledger (metrics tokenledger.usage.tokens, from another ledger's export)",
  ownsRecord() {
    return false;
  },
  fromRecord() {
    return { kind: 'ignored' };
  },
  ownsPoint(point) {
    return point.metric.name.startsWith('tokenledger.');
  },
  fromPoint(point) {
    if (point.metric.name !== TOKENS) return { kind: 'ignored' };
    const rejected = (problem: string) => ({ kind: 'rejected' as const, reason: `${TOKENS}: ${problem}` });
    const type = textOf(point.attributes, 'tokenledger.token.type');
    if (type === undefined) return rejected('tokenledger.token.type is missing');
    const buckets = Object.hasOwn(TOKEN_TYPES, type) ? TOKEN_TYPES[type] : undefined;
    if (buckets === undefined) return { kind: 'ignored' };
    const agent = textOf(point.attributes, 'tokenledger.agent');
    if (agent === undefined) return rejected('tokenledger.agent is missing');
    const provider = textOf(point.attributes, 'gen_ai.provider.name');
    if (provider === undefined) return rejected('gen_ai.provider.name is missing');
    return metricPointEvent(point, { agent, provider, buckets, modelKey: 'gen_ai.request.model', userKeys: ['user.name'] }, Date.now());
  },
};
