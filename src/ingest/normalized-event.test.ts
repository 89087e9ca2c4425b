import { describe, expect, it } from 'vitest';
import { describeFieldError } from './field-error.js';
import { normalizeRecord } from './normalized-event.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const TS = '2025-10-10T11:00:00Z';
const base = { model: 'claude-sonnet-4-5', input_tokens: 100, output_tokens: 20, ts: TS };

/** The message a record is refused with. */
function refused(raw: unknown): string {
  const result = normalizeRecord(raw, NOW);
  if (!('error' in result)) throw new Error(`accepted: ${JSON.stringify(result)}`);
  return describeFieldError(result.error);
}

describe('normalizeRecord: usage', () => {
  it('reads the minimal event with its defaults', () => {
    expect(normalizeRecord(base, NOW)).toEqual({
      kind: 'usage',
      id: undefined,
      event: {
        agent: 'ingest',
        provider: '',
        model: 'claude-sonnet-4-5',
        sessionId: 'default',
        project: '',
        occurredAt: Date.UTC(2025, 9, 10, 11),
        inputTokens: 100,
        outputTokens: 20,
        reasoningTokens: 0,
        cacheReadTokens: 0,
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
      },
    });
  });

  it('reads every field, aliases included', () => {
    const full = {
      type: 'usage',
      id: 'req-1',
      agent: 'my-agent',
      provider: 'anthropic',
      model: ' claude-opus-4-1 ',
      instance_id: 'i-9',
      project: '/home/dev/app',
      ts: 1760094000000,
      input_tokens: 1,
      output_tokens: 5,
      reasoning_tokens: 2,
      cache_read_tokens: 3,
      cache_write_tokens: 4,
      cache_write_1h_tokens: 6,
      meta: { anything: [1, 2] },
    };
    expect(normalizeRecord(full, NOW)).toEqual({
      kind: 'usage',
      id: 'req-1',
      event: {
        agent: 'my-agent',
        provider: 'anthropic',
        model: 'claude-opus-4-1',
        sessionId: 'i-9',
        project: '/home/dev/app',
        occurredAt: 1760094000000,
        inputTokens: 1,
        outputTokens: 5,
        reasoningTokens: 2,
        cacheReadTokens: 3,
        cacheWrite5mTokens: 4,
        cacheWrite1hTokens: 6,
      },
    });
    const same = normalizeRecord({ ...base, session_id: 's', instance_id: 's', cache_write_5m_tokens: 7, cache_write_tokens: 7, id: 42, reasoning_tokens: null }, NOW);
    expect(same).toMatchObject({ id: '42', event: { sessionId: 's', cacheWrite5mTokens: 7, reasoningTokens: 0 } });
  });

  it("reads service_tier as the event's tier, standard values as none, and refuses a tier that is not a name", () => {
    const tier = (value: unknown): unknown => {
      const result = normalizeRecord({ ...base, service_tier: value }, NOW);
      return 'event' in result ? result.event.serviceTier : result;
    };
    expect(tier('fast')).toBe('fast');
    expect(tier('Priority')).toBe('priority');
    expect(tier('default')).toBeUndefined();
    expect(tier('standard')).toBeUndefined();
    expect(refused({ ...base, service_tier: 'very fast' })).toContain('service_tier must be 1-64 letters, digits, dots, dashes or underscores');
  });

  it('names the field, the problem and the value of every refusal', () => {
    expect(refused([base])).toBe('record must be a JSON object, got [{"model":"claude-sonnet-4-5","input_tokens":100,"output_…');
    expect(refused('x')).toBe('record must be a JSON object, got "x"');
    expect(refused({ ...base, type: 'cost' })).toBe('type must be "usage" (or absent) or "federation_spend", got "cost"');
    expect(refused({ ...base, input_token: 5 })).toMatch(/^input_token is not a field of this record \(allowed: type, id, .*put your own data under "meta"\), got 5$/);
    expect(refused({ ...base, model: undefined })).toBe('model is required (text)');
    expect(refused({ ...base, model: '  ' })).toBe('model must not be empty, got "  "');
    expect(refused({ ...base, model: 7.5 })).toBe('model must be text, got 7.5');
    expect(refused({ ...base, model: 'm'.repeat(257) })).toMatch(/^model must be at most 256 characters, got "m+…$/);
    expect(refused({ ...base, input_tokens: undefined })).toBe('input_tokens is required (a whole number ≥ 0)');
    expect(refused({ ...base, output_tokens: null })).toBe('output_tokens is required (a whole number ≥ 0)');
    expect(refused({ ...base, input_tokens: -3 })).toBe('input_tokens must be a whole number ≥ 0, got -3');
    expect(refused({ ...base, output_tokens: 1.5 })).toBe('output_tokens must be a whole number ≥ 0, got 1.5');
    expect(refused({ ...base, output_tokens: '20' })).toBe('output_tokens must be a whole number ≥ 0, got "20"');
    expect(refused({ ...base, cache_read_tokens: 1e9 + 1 })).toBe('cache_read_tokens is above 10^9 tokens, got 1000000001');
    expect(normalizeRecord({ ...base, output_tokens: 1e9 }, NOW)).toMatchObject({ kind: 'usage', event: { outputTokens: 1e9 } });
    expect(refused({ ...base, cache_write_tokens: true })).toBe('cache_write_tokens must be a whole number ≥ 0, got true');
    expect(refused({ ...base, cache_write_5m_tokens: -1 })).toBe('cache_write_5m_tokens must be a whole number ≥ 0, got -1');
    expect(refused({ ...base, cache_write_1h_tokens: 'x' })).toBe('cache_write_1h_tokens must be a whole number ≥ 0, got "x"');
    expect(refused({ ...base, reasoning_tokens: 21 })).toBe('reasoning_tokens must not exceed output_tokens (20): output_tokens includes reasoning, got 21');
    expect(refused({ ...base, cache_write_tokens: 1, cache_write_5m_tokens: 2 })).toBe('cache_write_5m_tokens disagrees with cache_write_tokens (give one of them), got 2');
    expect(refused({ ...base, session_id: 'a', instance_id: 'b' })).toBe('instance_id disagrees with session_id (give one of them), got "b"');
    expect(refused({ ...base, session_id: {} })).toBe('session_id must be text, got {}');
    expect(refused({ ...base, project: 'p'.repeat(4097) })).toMatch(/^project must be at most 4096 characters/);
    expect(refused({ ...base, agent: 'my agent' })).toBe('agent must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit, got "my agent"');
    expect(refused({ ...base, provider: '' })).toMatch(/^provider must be 1-64 letters/);
    expect(refused({ ...base, id: '' })).toBe('id must not be empty, got ""');
    expect(refused({ ...base, id: 1.5 })).toBe('id must be text, got 1.5');
    expect(refused({ ...base, ts: undefined })).toBe('ts is required (ISO 8601 with a zone, or epoch s/ms/µs/ns)');
    expect(refused({ ...base, ts: '2025-10-10 11:00' })).toBe('ts must be an ISO 8601 time with a zone (2025-10-10T12:00:00Z) or an epoch number, got "2025-10-10 11:00"');
    expect(refused({ ...base, ts: 9e8 })).toBe('ts is before 2000-01-01 (read as epoch seconds), got 900000000');
  });
});

describe('normalizeRecord: federation_spend', () => {
  const spend = { type: 'federation_spend', peerId: 'peer-a', taskId: 't-1', tokensUsed: 1200, usdSpent: 0.1, ts: TS };

  it('reads a peer report with its spend in exact nano-USD', () => {
    expect(normalizeRecord(spend, NOW)).toEqual({
      kind: 'federation',
      spend: { peerId: 'peer-a', taskId: 't-1', tokensUsed: 1200, usdNanos: 100_000_000, occurredAt: Date.UTC(2025, 9, 10, 11) },
    });
    expect(normalizeRecord({ ...spend, taskId: 17, usdSpent: '2.25', meta: 'x' }, NOW)).toMatchObject({ spend: { taskId: '17', usdNanos: 2_250_000_000 } });
  });

  it('names every field it refuses', () => {
    expect(refused({ ...spend, peerId: undefined })).toBe('peerId is required (text)');
    expect(refused({ ...spend, taskId: '' })).toBe('taskId must not be empty, got ""');
    expect(refused({ ...spend, tokensUsed: -1 })).toBe('tokensUsed must be a whole number ≥ 0, got -1');
    // A task's running total may pass one request's 10^9 bound, up to 10^12.
    expect(normalizeRecord({ ...spend, tokensUsed: 5e9 }, NOW)).toMatchObject({ kind: 'federation', spend: { tokensUsed: 5e9 } });
    expect(refused({ ...spend, tokensUsed: 1e12 + 1 })).toBe('tokensUsed is above 10^12 tokens, got 1000000000001');
    expect(refused({ ...spend, usdSpent: undefined })).toBe('usdSpent is required (US dollars, e.g. 0.42)');
    expect(refused({ ...spend, usdSpent: -0.5 })).toBe('usdSpent must not be negative, got -0.5');
    expect(refused({ ...spend, usdSpent: 'lots' })).toBe('usdSpent must be a number of US dollars (or decimal text such as "0.125"), got "lots"');
    expect(refused({ ...spend, ts: 'now' })).toMatch(/^ts must be an ISO 8601 time/);
    expect(refused({ ...spend, model: 'x' })).toMatch(/^model is not a field of this record \(allowed: type, peerId, taskId, tokensUsed, usdSpent, ts, meta;/);
  });
});
