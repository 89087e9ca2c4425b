import { describe, expect, it } from 'vitest';
import { fixture } from '../../../testing/fixture-ledger.js';
import { logRecordsOf } from '../../../testing/otlp-json.js';
import { type FixtureEvent, outcomesOf, sameRequestBothWays, usageOf } from '../../../testing/otel-usage.js';
import { codexCli } from '../../../sources/codex-cli/index.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';

const LOGS = fixture(import.meta.url, 'codex-cli-logs.json');
const SESSION = '01999c3e-5b2a-7d41-9f0e-3c8a1b2d4e5f';
const completed = (change: (r: OtlpLogRecord) => void = () => {}): OtlpLogRecord => {
  const record = logRecordsOf(LOGS)[2] as OtlpLogRecord;
  change(record);
  return record;
};

describe('Codex CLI OpenTelemetry events', () => {
  it('maps codex.sse_event response.completed as the rollout log: cached input within input, reasoning within output', () => {
    const outcomes = outcomesOf(codexCliOtel, LOGS);
    // response.created, a tool result and a completed response without usage are not usage.
    expect(outcomes.map((o) => o.kind)).toEqual(['ignored', 'ignored', 'usage', 'ignored']);
    const [event] = usageOf(outcomes);
    expect(event).toEqual({
      agent: 'codex-cli',
      provider: 'openai',
      model: 'gpt-5-codex',
      sessionId: SESSION,
      project: '',
      occurredAt: Date.parse('2025-10-01T10:00:05.000Z'),
      inputTokens: 4000,
      outputTokens: 600,
      reasoningTokens: 200,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 8000,
      dedupKey: expect.stringMatching(new RegExp(`^otel:codex-cli:${SESSION}:sha256:[0-9a-f]{32}$`)),
      recordedBy: { user: 'dev@example.com', machine: 'otlp:dev-laptop' },
    });
    // Redelivered: the same key.
    expect(usageOf(outcomesOf(codexCliOtel, LOGS))[0]?.dedupKey).toBe(event?.dedupKey);
  });

  it('reads the counts as text or ints, ignores tool_token_count, and bounds cached and reasoning', () => {
    const asInts = codexCliOtel.fromRecord(
      completed((r) => {
        r.attributes.input_token_count = 12_000;
        r.attributes.output_token_count = 600;
        r.attributes.tool_token_count = 999_999;
      }),
    );
    expect(asInts).toEqual(codexCliOtel.fromRecord(completed()));
    const over = codexCliOtel.fromRecord(
      completed((r) => {
        r.attributes.cached_token_count = 20_000;
        r.attributes.reasoning_token_count = 900;
      }),
    );
    expect(over.kind === 'usage' && [over.event.inputTokens, over.event.cacheReadTokens, over.event.reasoningTokens]).toEqual([0, 12_000, 600]);
    const absent = codexCliOtel.fromRecord(
      completed((r) => {
        delete r.attributes.cached_token_count;
        delete r.attributes.reasoning_token_count;
      }),
    );
    expect(absent.kind === 'usage' && [absent.event.inputTokens, absent.event.cacheReadTokens, absent.event.reasoningTokens]).toEqual([12_000, 0, 0]);
  });

  it('rejects a completed response it cannot count, naming the field', () => {
    const reason = (change: (r: OtlpLogRecord) => void): string => {
      const outcome = codexCliOtel.fromRecord(completed(change));
      return outcome.kind === 'rejected' ? outcome.reason : `not rejected: ${outcome.kind}`;
    };
    expect(reason((r) => (r.attributes.input_token_count = '-1'))).toBe('codex.sse_event (response.completed): input_token_count must be a whole number of tokens from 0 to 10^9 (got "-1")');
    expect(reason((r) => (r.attributes.cached_token_count = 0.5))).toContain('cached_token_count must be a whole number');
    expect(reason((r) => delete r.attributes['conversation.id'])).toBe('codex.sse_event (response.completed): conversation.id is missing');
    expect(reason((r) => delete r.attributes.model)).toBe('codex.sse_event (response.completed): model is missing');
    expect(reason((r) => (r.attributes['event.timestamp'] = '2999-01-01T00:00:00Z'))).toBe('codex.sse_event (response.completed): event.timestamp is more than a day in the future');
  });

  it('files the event under the account e-mail, else the account id', () => {
    const outcome = codexCliOtel.fromRecord(completed((r) => delete r.attributes['user.email']));
    expect(outcome.kind === 'usage' && outcome.event.recordedBy).toEqual({ user: 'acc-7f3e2d1c', machine: 'otlp:dev-laptop' });
  });

  it('claims its records by scope, service or event name, and no other agent claims them', () => {
    for (const record of logRecordsOf(LOGS)) {
      expect(codexCliOtel.ownsRecord(record)).toBe(true);
      expect(claudeCodeOtel.ownsRecord(record) || geminiCliOtel.ownsRecord(record)).toBe(false);
    }
  });

  it('has the same buckets and the same cost read from the rollout and from the event', async () => {
    const rollout = fixture(new URL('../../../sources/codex-cli/codex-cli.test.ts', import.meta.url).href, 'last-usage.jsonl');
    const { logged, exported } = await sameRequestBothWays(
      (fromLog) => {
        fromLog.write(`codex/sessions/2025/10/01/rollout-2025-10-01T10-00-00-${SESSION}.jsonl`, rollout);
        return fromLog.sync([codexCli]);
      },
      usageOf(outcomesOf(codexCliOtel, LOGS)),
      `codex-cli:${SESSION}:12600`,
    );
    const shape = (e: FixtureEvent) => [e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.costNanos, e.sessionId, e.occurredAt];
    expect(exported && shape(exported)).toEqual(logged && shape(logged));
    expect(exported?.costNanos).toBe(12_000_000);
  });
});
