import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { anomalies, type AnomalyResult } from './anomaly.js';

const sessions = (...costs: number[]): { key: string; costNanos: number }[] => costs.map((costNanos, i) => ({ key: `s${i}`, costNanos }));

function ok(result: AnomalyResult): Extract<AnomalyResult, { status: 'ok' }> {
  if (result.status !== 'ok') throw new Error(`expected ok, got ${result.reason}`);
  return result;
}

describe('anomalies', () => {
  it('scores every session and flags |z| above 3.5', () => {
    // median of [1,2,3,10,50] = 3; deviations [2,1,0,7,47] → sorted [0,1,2,7,47] → MAD 2
    // z = 0.6745·(x − 3)/2: s0 −0.6745, s1 −0.33725, s2 0, s3 2.36075, s4 0.6745·47/2 = 15.85075
    const result = ok(anomalies(sessions(1, 2, 3, 10, 50)));
    expect(result.median).toBe(3);
    expect(result.mad).toBe(2);
    expect(result.threshold).toBe(3.5);
    expect(result.scores.map((s) => s.key)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    const z = result.scores.map((s) => s.z);
    for (const [i, expected] of [-0.6745, -0.33725, 0, 2.36075, 15.85075].entries()) expect(z[i]).toBeCloseTo(expected, 10);
    expect(result.outliers).toEqual([{ key: 's4', costNanos: 50, z: expect.closeTo(15.85075, 10) as number }]);
  });

  it('takes a custom threshold and lists outliers by |z| descending', () => {
    // same data, threshold 2: s3 (2.36075) and s4 (15.85075), largest first
    const result = ok(anomalies(sessions(1, 2, 3, 10, 50), 2));
    expect(result.outliers.map((o) => o.key)).toEqual(['s4', 's3']);
  });

  it('flags strictly above the threshold, not at it', () => {
    // z(s3) = 0.6745·7/2 exactly; the same expression as threshold → not flagged
    const result = ok(anomalies(sessions(1, 2, 3, 10, 50), (0.6745 * 7) / 2));
    expect(result.outliers.map((o) => o.key)).toEqual(['s4']);
  });

  it('flags unusually cheap sessions too (negative z)', () => {
    // [100,101,102,103,104,105,1]: sorted [1,100,101,102,103,104,105] → median 102
    // deviations [2,1,0,1,2,3,101] → sorted [0,1,1,2,2,3,101] → MAD 2
    // z(1) = 0.6745·(1 − 102)/2 = −34.06225; z(105) = 0.6745·3/2 = 1.01175
    const result = ok(anomalies(sessions(100, 101, 102, 103, 104, 105, 1)));
    expect(result.median).toBe(102);
    expect(result.mad).toBe(2);
    expect(result.outliers).toHaveLength(1);
    expect(result.outliers[0]?.key).toBe('s6');
    expect(result.outliers[0]?.z).toBeCloseTo(-34.06225, 10);
  });

  it('uses the mean of the two middle values for an even count', () => {
    // [10,20,30,40,1000,2000]: median (30 + 40)/2 = 35
    // deviations [25,15,5,5,965,1965] → sorted [5,5,15,25,965,1965] → MAD (15 + 25)/2 = 20
    // z(2000) = 0.6745·1965/20 = 66.269625; z(1000) = 0.6745·965/20 = 32.544625; z(10) = 0.6745·(−25)/20 = −0.843125
    const result = ok(anomalies(sessions(10, 20, 30, 40, 1000, 2000)));
    expect(result.median).toBe(35);
    expect(result.mad).toBe(20);
    expect(result.outliers.map((o) => [o.key, o.z])).toEqual([
      ['s5', expect.closeTo(66.269625, 10)],
      ['s4', expect.closeTo(32.544625, 10)],
    ]);
    expect(result.scores[0]?.z).toBeCloseTo(-0.843125, 10);
  });

  it('breaks ties in |z| by key', () => {
    // [100,99,101,98,102,0,200]: median 100; deviations [0,1,1,2,2,100,100] → MAD 2
    // z(0) = −33.725, z(200) = +33.725: equal |z| → key order (alpha before beta)
    const values = [...sessions(100, 99, 101, 98, 102), { key: 'beta', costNanos: 0 }, { key: 'alpha', costNanos: 200 }];
    const result = ok(anomalies(values));
    expect(result.outliers.map((o) => [o.key, o.z])).toEqual([
      ['alpha', expect.closeTo(33.725, 10)],
      ['beta', expect.closeTo(-33.725, 10)],
    ]);
  });

  it('works from 3 sessions', () => {
    // [1,2,100]: median 2; deviations [1,0,98] → MAD 1; z(100) = 0.6745·98 = 66.101
    const result = ok(anomalies(sessions(1, 2, 100)));
    expect(result.outliers.map((o) => [o.key, o.z])).toEqual([['s2', expect.closeTo(66.101, 10)]]);
  });

  it('returns no outliers when nothing stands out', () => {
    // [10,20,30]: median 20, MAD 10, |z| ≤ 0.6745
    expect(ok(anomalies(sessions(10, 20, 30))).outliers).toEqual([]);
  });

  it('is insufficient with fewer than 3 sessions', () => {
    const insufficient = { status: 'insufficient', reason: 'fewer than 3 sessions' };
    expect(anomalies([])).toEqual(insufficient);
    expect(anomalies(sessions(1, 1000))).toEqual(insufficient);
  });

  it('is insufficient when MAD is 0', () => {
    // [5,5,5,9]: median 5; deviations [0,0,0,4] → MAD (0 + 0)/2 = 0
    // [5,5,5,5,9,100]: median 5; deviations [0,0,0,0,4,95] → MAD 0
    const insufficient = { status: 'insufficient', reason: 'MAD is 0 (more than half the sessions cost the same)' };
    expect(anomalies(sessions(5, 5, 5, 9))).toEqual(insufficient);
    expect(anomalies(sessions(5, 5, 5, 5, 9, 100))).toEqual(insufficient);
    expect(anomalies(sessions(0, 0, 0))).toEqual(insufficient);
  });

  it('rejects a threshold that is not positive', () => {
    expect(() => anomalies(sessions(1, 2, 3), 0)).toThrowError(TokenledgerError);
    expect(() => anomalies(sessions(1, 2, 3), Number.NaN)).toThrowError(/positive number/);
  });
});
