import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../ledger/ledger.js';
import { TOKEN_USAGE_BOUNDARIES } from './metric-names.js';
import { bucketIndex, sentCounts, UsageAccumulator, type PointAttributes, type SumPoint } from './usage-points.js';

function event(over: Partial<StoredEvent>): StoredEvent {
  return {
    agent: 'claude-code',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: 'session-1',
    project: '/home/dev/app',
    occurredAt: 1_760_000_000_000,
    dedupKey: 'k1',
    namespace: 'cost-tracking',
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    costNanos: 0,
    unpriced: false,
    recordedBy: { user: 'ana', machine: 'm1' },
    priceVersion: 'test',
    ...over,
  };
}

const attrs = (a: PointAttributes): Record<string, string> => Object.fromEntries(a);
const byType = (points: SumPoint[]): Record<string, number> => Object.fromEntries(points.map((p) => [attrs(p.attributes)['tokenledger.token.type'], p.value]));

describe('UsageAccumulator', () => {
  it('observes input (cache reads and writes included) and output per request, in the conventions buckets', () => {
    const acc = new UsageAccumulator(new Set());
    acc.add(event({ dedupKey: 'a', inputTokens: 3, cacheReadTokens: 1000, cacheWrite5mTokens: 20, cacheWrite1hTokens: 1, outputTokens: 64, reasoningTokens: 10 }));
    acc.add(event({ dedupKey: 'b', inputTokens: 1, outputTokens: 65 }));
    acc.add(event({ dedupKey: 'c', inputTokens: 100_000_000, outputTokens: 0 }));
    const { histogram } = acc.points();
    expect(histogram).toHaveLength(2);
    const input = histogram.find((p) => attrs(p.attributes)['gen_ai.token.type'] === 'input');
    const output = histogram.find((p) => attrs(p.attributes)['gen_ai.token.type'] === 'output');
    expect(attrs(input?.attributes ?? [])).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.token.type': 'input',
    });
    expect(input).toMatchObject({ count: 3, sum: 1024 + 1 + 100_000_000, min: 1, max: 100_000_000 });
    // 1024 falls in (256, 1024], 1 in (-inf, 1], 100,000,000 above the last boundary.
    expect(input?.bucketCounts).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(output).toMatchObject({ count: 3, sum: 129, min: 0, max: 65 });
    expect(output?.bucketCounts).toEqual([1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('puts a value on a boundary in the bucket that boundary closes', () => {
    expect(TOKEN_USAGE_BOUNDARIES).toEqual([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]);
    expect([0, 1, 2, 4, 5, 67108864, 67108865].map(bucketIndex)).toEqual([0, 0, 1, 1, 2, 13, 14]);
  });

  it('counts exact tokens per ledger bucket, cost in nanos and requests, by provider, model and agent', () => {
    const acc = new UsageAccumulator(new Set());
    acc.add(event({ dedupKey: 'a', inputTokens: 3, cacheReadTokens: 1000, cacheWrite5mTokens: 20, cacheWrite1hTokens: 1, outputTokens: 64, reasoningTokens: 10, costNanos: 1_250_000_123 }));
    acc.add(event({ dedupKey: 'b', inputTokens: 7, outputTokens: 1, costNanos: 7 }));
    acc.add(event({ dedupKey: 'c', agent: 'codex-cli', provider: 'openai', model: 'gpt-5-codex', inputTokens: 5, costNanos: 2 }));
    const { tokens, costNanos, requests } = acc.points();
    const claude = tokens.filter((p) => attrs(p.attributes)['tokenledger.agent'] === 'claude-code');
    expect(byType(claude)).toEqual({ input: 10, output: 65, reasoning: 10, cache_read: 1000, cache_write_5m: 20, cache_write_1h: 1 });
    expect(attrs(claude[0]?.attributes ?? [])).toEqual({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'tokenledger.agent': 'claude-code',
      'tokenledger.token.type': 'input',
    });
    expect(costNanos.map((p) => p.value).sort()).toEqual([1_250_000_130, 2].sort());
    expect(requests.map((p) => [attrs(p.attributes)['tokenledger.agent'], p.value])).toEqual([
      ['claude-code', 2],
      ['codex-cli', 1],
    ]);
  });

  it('names Gemini the conventions way, one series whichever ledger id it came under', () => {
    const acc = new UsageAccumulator(new Set());
    acc.add(event({ dedupKey: 'a', agent: 'gemini-cli', provider: 'google', model: 'gemini-2.5-pro', inputTokens: 1 }));
    acc.add(event({ dedupKey: 'b', agent: 'gemini-cli', provider: 'gemini', model: 'gemini-2.5-pro', inputTokens: 1 }));
    const { requests, histogram } = acc.points();
    expect(requests.map((p) => [attrs(p.attributes)['gen_ai.provider.name'], p.value])).toEqual([['gcp.gemini', 2]]);
    expect(histogram.map((p) => p.count)).toEqual([2, 2]);
  });

  it('leaves sessions, keys, users and projects out unless opted in', () => {
    const plain = new UsageAccumulator(new Set());
    const opted = new UsageAccumulator(new Set(['session', 'key', 'user', 'project'] as const));
    for (const acc of [plain, opted]) {
      acc.add(event({ dedupKey: 'a', sessionId: 's1', inputTokens: 1 }));
      acc.add(event({ dedupKey: 'b', sessionId: 's2', inputTokens: 1 }));
      acc.add(event({ dedupKey: 'c', agent: 'gateway', sessionId: 'team-key', inputTokens: 1 }));
    }
    expect(plain.points().requests).toHaveLength(2);
    expect(plain.points().histogram).toHaveLength(2);
    const opt = opted.points();
    expect(opt.requests.map((p) => attrs(p.attributes))).toEqual([
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'session.id': 's1',
        'tokenledger.agent': 'claude-code',
        'tokenledger.project': '/home/dev/app',
        'user.name': 'ana',
      },
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'session.id': 's2',
        'tokenledger.agent': 'claude-code',
        'tokenledger.project': '/home/dev/app',
        'user.name': 'ana',
      },
      // A gateway event's session is its key: labelled as the key, never as a session.
      {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'tokenledger.agent': 'gateway',
        'tokenledger.gateway.key': 'team-key',
        'tokenledger.project': '/home/dev/app',
        'user.name': 'ana',
      },
    ]);
    expect(opt.histogram).toHaveLength(6);
  });

  it('adds only what grew when a longer copy of a request comes again, and observes it once', () => {
    const acc = new UsageAccumulator(new Set());
    const first = event({ inputTokens: 10, outputTokens: 5, costNanos: 100 });
    acc.add(first);
    acc.add(event({ inputTokens: 10, outputTokens: 50, costNanos: 400 }), sentCounts(first));
    const p = acc.points();
    expect(byType(p.tokens)).toEqual({ input: 10, output: 50 });
    expect(p.costNanos[0]?.value).toBe(400);
    expect(p.requests[0]?.value).toBe(1);
    expect(p.histogram.map((h) => h.count)).toEqual([1, 1]);
  });

  it('merges into totals (cumulative) without sharing bucket arrays', () => {
    const a = new UsageAccumulator(new Set());
    a.add(event({ dedupKey: 'a', inputTokens: 2, costNanos: 5 }));
    const b = new UsageAccumulator(new Set());
    b.add(event({ dedupKey: 'b', inputTokens: 3, costNanos: 6 }));
    const total = new UsageAccumulator(new Set());
    total.merge(a);
    total.merge(b);
    expect(byType(total.points().tokens)).toEqual({ input: 5 });
    expect(total.points().costNanos[0]?.value).toBe(11);
    expect(total.points().histogram.find((h) => attrs(h.attributes)['gen_ai.token.type'] === 'input')).toMatchObject({ count: 2, sum: 5, min: 2, max: 3 });
    expect(a.points().histogram[0]?.count).toBe(1);
  });
});
