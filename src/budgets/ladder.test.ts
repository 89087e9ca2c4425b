import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, levelOf } from './ladder.js';

describe('levelOf', () => {
  it('starts each level at its threshold, inclusive', () => {
    const at = (pct: number): string => levelOf(pct, DEFAULT_THRESHOLDS).level;
    expect([0, 49.999, 50, 74.99, 75, 89.99, 90, 99.999, 100, 250].map(at)).toEqual(['OK', 'OK', 'INFO', 'INFO', 'WARNING', 'WARNING', 'CRITICAL', 'CRITICAL', 'HARD_STOP', 'HARD_STOP']);
    expect(levelOf(90, DEFAULT_THRESHOLDS).threshold).toBe(90);
    expect(levelOf(10, DEFAULT_THRESHOLDS).threshold).toBeUndefined();
  });

  it('follows configured thresholds', () => {
    const t = { info: 25, warning: 50, critical: 80, hardStop: 95 };
    expect(levelOf(25, t)).toEqual({ level: 'INFO', threshold: 25 });
    expect(levelOf(94.9, t)).toEqual({ level: 'CRITICAL', threshold: 80 });
    expect(levelOf(95, t)).toEqual({ level: 'HARD_STOP', threshold: 95 });
  });
});
