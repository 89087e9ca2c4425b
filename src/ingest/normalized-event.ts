import { serviceTierOf } from '../core/service-tier.js';
import type { UsageEvent } from '../core/usage-event.js';
import type { FederationSpend } from '../ledger/ledger.js';
import { parseEventTime } from './event-time.js';
import { fail, FieldProblem, type FieldError } from './field-error.js';
import { FieldReader, type CountBound } from './field-reader.js';
import { usdToNanos } from './usd-amount.js';

/**
 * The one schema of events other tools feed tokenledger (`ingest` lines and drop-folder files).
 * A record is a JSON object; `type` absent or `"usage"` is a model request, `"federation_spend"` a
 * peer's spend on a task. Unknown fields are refused (a misspelt optional field would otherwise
 * lose tokens silently); a writer's own data goes under `meta`, which is ignored.
 */
export const DEFAULT_AGENT = 'ingest';

/** A federated task's tokens are a running total over many requests: bounded at 10^12, not 10^9. */
const TASK_TOTAL: CountBound = { max: 1e12, text: '10^12' };
export const DEFAULT_SESSION = 'default';

const USAGE_FIELDS = new Set([
  'type',
  'id',
  'agent',
  'provider',
  'model',
  'session_id',
  'instance_id',
  'project',
  'ts',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'service_tier',
  'meta',
]);
const FEDERATION_FIELDS = new Set(['type', 'peerId', 'taskId', 'tokensUsed', 'usdSpent', 'ts', 'meta']);

/** A usage event before its dedup key is chosen (`id` when given, else by the caller's rule). */
export type UnkeyedEvent = Omit<UsageEvent, 'dedupKey'>;
/** A peer's spend report as read, before it is placed in a namespace. */
export type PeerReport = Omit<FederationSpend, 'namespace'>;

export type NormalizedRecord = { kind: 'usage'; event: UnkeyedEvent; id: string | undefined } | { kind: 'federation'; spend: PeerReport };

/** Validates one parsed record; `now` bounds its time. Returns the first problem found instead of throwing. */
export function normalizeRecord(raw: unknown, now: number): NormalizedRecord | { error: FieldError } {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail({ field: 'record', problem: 'must be a JSON object', value: raw });
    const record = raw as Record<string, unknown>;
    const type = record.type ?? 'usage';
    if (type === 'usage') return usage(new FieldReader(record, USAGE_FIELDS), now);
    if (type === 'federation_spend') return federation(new FieldReader(record, FEDERATION_FIELDS), now);
    return fail({ field: 'type', problem: 'must be "usage" (or absent) or "federation_spend"', value: type });
  } catch (error) {
    if (error instanceof FieldProblem) return { error: error.detail };
    throw error;
  }
}

function time(r: FieldReader, now: number): number {
  const value = r.raw('ts');
  if (value === undefined) fail({ field: 'ts', problem: 'is required (ISO 8601 with a zone, or epoch s/ms/µs/ns)' });
  const parsed = parseEventTime(value, now);
  if ('problem' in parsed) fail({ field: 'ts', problem: parsed.problem, value });
  return parsed.ms;
}

/** Two spellings of one field: either may be given, or both when they agree. */
function either(r: FieldReader, a: string, b: string, read: (field: string) => unknown): void {
  if (r.has(a) && r.has(b) && read(a) !== read(b)) fail({ field: b, problem: `disagrees with ${a} (give one of them)`, value: r.raw(b) });
}

function usage(r: FieldReader, now: number): NormalizedRecord {
  const model = r.text('model', true) as string;
  const inputTokens = r.count('input_tokens', true);
  const outputTokens = r.count('output_tokens', true);
  const reasoningTokens = r.count('reasoning_tokens', false);
  if (reasoningTokens > outputTokens) fail({ field: 'reasoning_tokens', problem: `must not exceed output_tokens (${outputTokens}): output_tokens includes reasoning`, value: reasoningTokens });
  either(r, 'cache_write_tokens', 'cache_write_5m_tokens', (f) => r.count(f, false));
  either(r, 'session_id', 'instance_id', (f) => r.text(f, false));
  const event: UnkeyedEvent = {
    agent: r.name('agent') ?? DEFAULT_AGENT,
    // Empty: the price table infers the provider from the model name.
    provider: r.name('provider') ?? '',
    model: model.trim(),
    sessionId: r.text('session_id', false) ?? r.text('instance_id', false) ?? DEFAULT_SESSION,
    project: r.text('project', false, 4096) ?? '',
    occurredAt: time(r, now),
    inputTokens,
    outputTokens,
    reasoningTokens,
    cacheReadTokens: r.count('cache_read_tokens', false),
    cacheWrite5mTokens: r.has('cache_write_5m_tokens') ? r.count('cache_write_5m_tokens', false) : r.count('cache_write_tokens', false),
    cacheWrite1hTokens: r.count('cache_write_1h_tokens', false),
  };
  const serviceTier = serviceTierOf(r.name('service_tier'));
  if (serviceTier !== undefined) event.serviceTier = serviceTier;
  return { kind: 'usage', event, id: r.text('id', false) };
}

function federation(r: FieldReader, now: number): NormalizedRecord {
  const peerId = r.text('peerId', true) as string;
  const taskId = r.text('taskId', true) as string;
  const tokensUsed = r.count('tokensUsed', true, TASK_TOTAL);
  const usd = r.raw('usdSpent');
  if (usd === undefined) fail({ field: 'usdSpent', problem: 'is required (US dollars, e.g. 0.42)' });
  const amount = usdToNanos(usd);
  if ('problem' in amount) fail({ field: 'usdSpent', problem: amount.problem, value: usd });
  return { kind: 'federation', spend: { peerId, taskId, tokensUsed, usdNanos: amount.nanos, occurredAt: time(r, now) } };
}
