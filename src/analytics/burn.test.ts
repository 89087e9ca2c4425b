import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { bucketEdges, burn } from './burn.js';

describe('burn', () => {
  it('compares the latest bucket with the mean of the earlier non-empty ones', () => {
    // earlier [100, 0, 300, 200] → non-empty [100, 300, 200] → baseline 600/3 = 200
    // latest 400 → (400 − 200)/200·100 = +100 %
    expect(burn({ bucketsNanos: [100, 0, 300, 200, 400] })).toEqual({
      latestNanos: 400,
      baselineNanos: 200,
      accelerationPct: 100,
      nonEmptyEarlier: 3,
      status: 'ok',
    });
  });

  it('alerts when the acceleration is strictly above the limit', () => {
    // +100 % > 50 → alert; +100 % is not > 100 → ok
    expect(burn({ bucketsNanos: [100, 0, 300, 200, 400], alertOnAccelerationPct: 50 }).status).toBe('alert');
    expect(burn({ bucketsNanos: [100, 0, 300, 200, 400], alertOnAccelerationPct: 100 }).status).toBe('ok');
    // baseline 100, latest 150 → exactly +50 %: not above 50
    expect(burn({ bucketsNanos: [100, 150], alertOnAccelerationPct: 50 })).toMatchObject({ accelerationPct: 50, status: 'ok' });
  });

  it('keeps a fractional baseline', () => {
    // earlier [1, 2] → 1.5; latest 4 → 2.5/1.5·100 = 166.67 %
    const result = burn({ bucketsNanos: [1, 2, 4] });
    expect(result.baselineNanos).toBe(1.5);
    expect(result.accelerationPct).toBeCloseTo(500 / 3, 10);
  });

  it('reports a stop as −100 % (an empty latest bucket counts)', () => {
    // baseline 100, latest 0 → −100 %, never above a positive limit
    expect(burn({ bucketsNanos: [100, 100, 0], alertOnAccelerationPct: 10 })).toMatchObject({ latestNanos: 0, accelerationPct: -100, status: 'ok' });
  });

  it('is insufficient without an earlier non-empty bucket, whatever the limit', () => {
    const insufficient = { baselineNanos: null, accelerationPct: null, nonEmptyEarlier: 0, status: 'insufficient' };
    expect(burn({ bucketsNanos: [0, 0, 500], alertOnAccelerationPct: 0 })).toEqual({ latestNanos: 500, ...insufficient });
    expect(burn({ bucketsNanos: [500] })).toEqual({ latestNanos: 500, ...insufficient });
    expect(burn({ bucketsNanos: [] })).toEqual({ latestNanos: 0, ...insufficient });
  });
});

describe('bucketEdges', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  const H = 3_600_000;

  it('counts whole buckets back from now, oldest first', () => {
    // 3h lookback / 1h bucket → 3 buckets: [now−3h, now−2h), [now−2h, now−1h), [now−1h, now)
    expect(bucketEdges(now, H, 3 * H)).toEqual([
      { since: now - 3 * H, until: now - 2 * H },
      { since: now - 2 * H, until: now - H },
      { since: now - H, until: now },
    ]);
  });

  it('leaves out a remainder older than the oldest whole bucket', () => {
    // 3.5h / 1h → ⌊3.5⌋ = 3 buckets, the oldest starting at now − 3h
    const edges = bucketEdges(now, H, 3.5 * H);
    expect(edges).toHaveLength(3);
    expect(edges[0]?.since).toBe(now - 3 * H);
  });

  it('makes one bucket when the bucket equals the lookback', () => {
    expect(bucketEdges(now, 24 * H, 24 * H)).toEqual([{ since: now - 24 * H, until: now }]);
  });

  it('rejects a bucket longer than the lookback, naming both', () => {
    let error: unknown;
    try {
      bucketEdges(now, 36 * H, 24 * H);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_ARGUMENT');
    expect((error as TokenledgerError).exitCode).toBe(2);
    expect((error as TokenledgerError).message).toBe('the bucket (36h) is longer than the lookback (1d)');
  });

  it('rejects durations that are not positive', () => {
    expect(() => bucketEdges(now, 0, 24 * H)).toThrowError(/bucket \(0ms\) and the lookback \(1d\) must be positive/);
  });
});
