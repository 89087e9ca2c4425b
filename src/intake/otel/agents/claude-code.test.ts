import { describe, expect, it } from 'vitest';
import { fixture } from '../../../testing/fixture-ledger.js';
import { logRecordsOf } from '../../../testing/otlp-json.js';
import { type FixtureEvent, outcomesOf, sameRequestBothWays, usageOf } from '../../../testing/otel-usage.js';
import { claudeCode } from '../../../sources/claude-code/index.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';

const LOGS = fixture(import.meta.url, 'claude-code-logs.json');
const records = (): OtlpLogRecord[] => logRecordsOf(LOGS);
/** The fixture's first `claude_code.api_request` record, changed by `change`. */
const request = (change: (r: OtlpLogRecord) => void = () => {}): OtlpLogRecord => {
  const record = records()[1] as OtlpLogRecord;
  change(record);
  return record;
};

describe('Claude Code OpenTelemetry events', () => {
  it('maps claude_code.api_request to the buckets its log uses, with the reported cost and the user', () => {
    const outcomes = outcomesOf(claudeCodeOtel, LOGS);
    // user_prompt, tool_result and api_error are the agent's but not usage.
    expect(outcomes.map((o) => o.kind)).toEqual(['ignored', 'usage', 'ignored', 'ignored', 'usage']);
    const [first, fast] = usageOf(outcomes);
    expect(first).toEqual({
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      sessionId: 'sess-1',
      project: '',
      occurredAt: Date.parse('2025-10-01T10:00:05.200Z'),
      inputTokens: 3,
      outputTokens: 159,
      reasoningTokens: 0,
      cacheWrite5mTokens: 1000,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 20_000,
      dedupKey: `otel:claude-code:sess-1:4:${Date.parse('2025-10-01T10:00:05.200Z')}`,
      reportedCostNanos: 12_144_000,
      recordedBy: { user: 'dev@example.com', machine: 'otlp' },
    });
    // speed "fast" is fast mode, as usage.speed in the log; "normal" is standard service.
    expect(fast).toMatchObject({ model: 'claude-opus-4-6', serviceTier: 'fast', reportedCostNanos: 428_500_000, dedupKey: `otel:claude-code:sess-1:7:${Date.parse('2025-10-01T10:00:12.000Z')}` });
  });

  it('gives a redelivered batch the same keys, and reads counts sent as ints like counts sent as text', () => {
    const once = usageOf(outcomesOf(claudeCodeOtel, LOGS));
    const again = usageOf(outcomesOf(claudeCodeOtel, LOGS));
    expect(again).toEqual(once);
    const asInts = request((r) => {
      for (const key of ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens']) r.attributes[key] = Number(r.attributes[key]);
      r.attributes.cost_usd = 0.012144;
      r.attributes['event.sequence'] = '4';
    });
    expect(claudeCodeOtel.fromRecord(asInts)).toEqual({ kind: 'usage', event: once[0] });
  });

  it('keys an event without a sequence by its session and a digest of its time, model and counts', () => {
    const outcome = claudeCodeOtel.fromRecord(request((r) => delete r.attributes['event.sequence']));
    expect(outcome.kind === 'usage' && outcome.event.dedupKey).toMatch(/^otel:claude-code:sess-1:sha256:[0-9a-f]{32}$/);
    const other = claudeCodeOtel.fromRecord(
      request((r) => {
        delete r.attributes['event.sequence'];
        r.attributes.output_tokens = '160';
      }),
    );
    expect(other.kind === 'usage' && other.event.dedupKey).not.toBe(outcome.kind === 'usage' && outcome.event.dedupKey);
  });

  it('rejects a usage record it cannot count, naming the field', () => {
    const reason = (change: (r: OtlpLogRecord) => void): string => {
      const outcome = claudeCodeOtel.fromRecord(request(change));
      return outcome.kind === 'rejected' ? outcome.reason : `not rejected: ${outcome.kind}`;
    };
    expect(reason((r) => (r.attributes.input_tokens = '-3'))).toBe('claude_code.api_request: input_tokens must be a whole number of tokens from 0 to 10^9 (got "-3")');
    expect(reason((r) => (r.attributes.output_tokens = '1.5'))).toContain('output_tokens must be a whole number');
    expect(reason((r) => (r.attributes.cache_read_tokens = 1_000_000_001))).toContain('cache_read_tokens must be a whole number of tokens from 0 to 10^9 (got 1000000001)');
    expect(reason((r) => (r.attributes.cache_creation_tokens = 'many'))).toContain('cache_creation_tokens must be');
    expect(reason((r) => delete r.attributes.output_tokens)).toBe('claude_code.api_request: output_tokens is missing');
    expect(reason((r) => delete r.attributes.model)).toBe('claude_code.api_request: model is missing');
    expect(reason((r) => (r.attributes.model = 'm'.repeat(257)))).toBe('claude_code.api_request: model must be at most 256 characters');
    expect(reason((r) => delete r.attributes['session.id'])).toBe('claude_code.api_request: session.id is missing');
    expect(reason((r) => (r.attributes.cost_usd = '-0.5'))).toBe('claude_code.api_request: cost_usd must not be negative');
    expect(reason((r) => (r.attributes['event.timestamp'] = 'yesterday'))).toContain('event.timestamp is not an ISO-8601 time');
    expect(reason((r) => (r.attributes['event.timestamp'] = '1999-12-31T23:59:59Z'))).toBe('claude_code.api_request: event.timestamp is before 2000-01-01');
  });

  it('dates an event by event.timestamp, else the record time, else the observed time', () => {
    const at = (change: (r: OtlpLogRecord) => void): number | undefined => {
      const outcome = claudeCodeOtel.fromRecord(request(change));
      return outcome.kind === 'usage' ? outcome.event.occurredAt : undefined;
    };
    expect(
      at((r) => {
        delete r.attributes['event.timestamp'];
        r.timeUnixNano = 1_759_312_800_123_000_000n;
      }),
    ).toBe(1_759_312_800_123);
    expect(
      at((r) => {
        delete r.attributes['event.timestamp'];
        r.timeUnixNano = 0n;
        r.observedTimeUnixNano = 1_759_312_801_000_000_000n;
      }),
    ).toBe(1_759_312_801_000);
  });

  it('files the event under the signed-in person, else the account, else the user id, and the host it ran on', () => {
    const by = (change: (r: OtlpLogRecord) => void) => {
      const outcome = claudeCodeOtel.fromRecord(request(change));
      return outcome.kind === 'usage' ? outcome.event.recordedBy : undefined;
    };
    expect(by((r) => delete r.attributes['user.email'])).toEqual({ user: '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a', machine: 'otlp' });
    expect(
      by((r) => {
        delete r.attributes['user.email'];
        delete r.attributes['user.account_uuid'];
        r.resource = { ...r.resource, 'host.name': 'build-07' };
      }),
    ).toEqual({ user: '8f2c1e0d4b3a29187f6e5d4c3b2a19080706050403020100ffeeddccbbaa9988', machine: 'otlp:build-07' });
    expect(
      by((r) => {
        for (const key of ['user.email', 'user.account_uuid', 'user.id']) delete r.attributes[key];
      }),
    ).toEqual({ user: 'otlp', machine: 'otlp' });
  });

  it('claims its records by scope, service or event name, and no other agent claims them', () => {
    for (const record of records()) {
      expect(claudeCodeOtel.ownsRecord(record)).toBe(true);
      expect(codexCliOtel.ownsRecord(record) || geminiCliOtel.ownsRecord(record)).toBe(false);
    }
    const bare = request((r) => {
      r.scope = { name: '', version: '' };
      r.resource = {};
    });
    expect(claudeCodeOtel.ownsRecord(bare)).toBe(true);
    expect(claudeCodeOtel.fromRecord(bare).kind).toBe('usage');
  });

  it('has the same buckets and the same cost read from the log file and from the event', async () => {
    const { logged, exported } = await sameRequestBothWays(
      (fromLog) => {
        fromLog.write('claude/projects/-home-dev-app/sess-1.jsonl', fixture(new URL('../../../sources/claude-code/claude-code.test.ts', import.meta.url).href, 'streaming.jsonl'));
        return fromLog.sync([claudeCode]);
      },
      usageOf(outcomesOf(claudeCodeOtel, LOGS)).slice(0, 1),
      'claude-code:msg_01A:req_011A',
      (fromOtel) => fromOtel.assertSumsExact(),
    );
    const shape = (e: FixtureEvent) => [e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheWrite5mTokens, e.cacheWrite1hTokens, e.cacheReadTokens, e.costNanos, e.sessionId];
    expect(exported && shape(exported)).toEqual(logged && shape(logged));
    // And the agent's own figure agrees with ours.
    expect(exported?.costNanos).toBe(12_144_000);
    expect(usageOf(outcomesOf(claudeCodeOtel, LOGS))[0]?.reportedCostNanos).toBe(12_144_000);
  });
});
