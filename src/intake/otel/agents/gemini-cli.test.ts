import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../testing/fixture-ledger.js';
import { logRecordsOf } from '../../../testing/otlp-json.js';
import { type FixtureEvent, outcomesOf, sameRequestBothWays, usageOf } from '../../../testing/otel-usage.js';
import { geminiCli } from '../../../sources/gemini-cli/index.js';
import type { OtlpLogRecord } from '../otlp-record.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';

const LOGS = fixture(import.meta.url, 'gemini-cli-logs.json');
const SESSION = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const response = (change: (r: OtlpLogRecord) => void = () => {}): OtlpLogRecord => {
  const record = logRecordsOf(LOGS)[1] as OtlpLogRecord;
  change(record);
  return record;
};

describe('Gemini CLI OpenTelemetry events', () => {
  it('maps gemini_cli.api_response as the chat log: cached within input, tool tokens as input, thoughts as output', () => {
    const outcomes = outcomesOf(geminiCliOtel, LOGS);
    // The request event and the GenAI operation details (the same response again) are not read.
    expect(outcomes.map((o) => o.kind)).toEqual(['ignored', 'usage', 'ignored']);
    const [event] = usageOf(outcomes);
    expect(event).toEqual({
      agent: 'gemini-cli',
      provider: 'google',
      model: 'gemini-2.5-pro',
      sessionId: SESSION,
      project: '',
      occurredAt: Date.parse('2025-11-02T14:31:20.000Z'),
      inputTokens: 4012,
      outputTokens: 90,
      reasoningTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 8000,
      dedupKey: expect.stringMatching(new RegExp(`^otel:gemini-cli:${SESSION}:sha256:[0-9a-f]{32}$`)),
      recordedBy: { user: 'dev@example.com', machine: 'otlp' },
    });
    expect(usageOf(outcomesOf(geminiCliOtel, LOGS))[0]?.dedupKey).toBe(event?.dedupKey);
    const thinking = geminiCliOtel.fromRecord(response((r) => (r.attributes.thoughts_token_count = 300)));
    expect(thinking.kind === 'usage' && [thinking.event.outputTokens, thinking.event.reasoningTokens]).toEqual([390, 300]);
  });

  it('rejects a response it cannot count, naming the field', () => {
    const reason = (change: (r: OtlpLogRecord) => void): string => {
      const outcome = geminiCliOtel.fromRecord(response(change));
      return outcome.kind === 'rejected' ? outcome.reason : `not rejected: ${outcome.kind}`;
    };
    expect(reason((r) => (r.attributes.tool_token_count = -12))).toBe('gemini_cli.api_response: tool_token_count must be a whole number of tokens from 0 to 10^9 (got -12)');
    expect(reason((r) => (r.attributes.input_token_count = 2_000_000_000))).toContain('input_token_count must be a whole number');
    expect(reason((r) => delete r.attributes.model)).toBe('gemini_cli.api_response: model is missing');
  });

  it('falls back to the resource session, and files the event under the e-mail, else the installation', () => {
    const outcome = geminiCliOtel.fromRecord(
      response((r) => {
        delete r.attributes['session.id'];
        delete r.attributes['user.email'];
      }),
    );
    expect(outcome.kind === 'usage' && [outcome.event.sessionId, outcome.event.recordedBy]).toEqual([SESSION, { user: '2b7c9d1e-3f4a-4b5c-8d6e-7f8a9b0c1d2e', machine: 'otlp' }]);
  });

  it('claims its records by scope, service or event name, and no other agent claims them', () => {
    for (const record of logRecordsOf(LOGS)) {
      expect(geminiCliOtel.ownsRecord(record)).toBe(true);
      expect(claudeCodeOtel.ownsRecord(record) || codexCliOtel.ownsRecord(record)).toBe(false);
    }
  });

  it('has the same buckets and the same cost read from the chat log and from the event', async () => {
    const { logged, exported } = await sameRequestBothWays(
      (fromLog) => {
        cpSync(new URL('../../../sources/gemini-cli/fixtures/gemini/tmp/webapp/', import.meta.url), join(fromLog.dir, 'gemini', 'tmp', 'webapp'), { recursive: true });
        return fromLog.sync([geminiCli]);
      },
      usageOf(outcomesOf(geminiCliOtel, LOGS)),
      `gemini-cli:${SESSION}:9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d`,
    );
    const shape = (e: FixtureEvent) => [e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.costNanos, e.sessionId, e.occurredAt];
    expect(exported && shape(exported)).toEqual(logged && shape(logged));
    expect(exported?.costNanos).toBe(6_915_000);
  });
});
