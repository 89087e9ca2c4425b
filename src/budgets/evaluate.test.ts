import { describe, expect, it } from 'vitest';
import type { Budget } from '../ledger/ledger.js';
import { evaluate, mostSevere } from './evaluate.js';
import { DEFAULT_THRESHOLDS } from './ladder.js';

const budget = (amountUsd: number, id = 1): Budget => ({ id, namespace: 'cost-tracking', scope: 'global', period: 'month', amountNanos: amountUsd * 1e9, setAt: 0 });
const status = (amountUsd: number, spentUsd: number, id = 1) => evaluate(budget(amountUsd, id), { key: 'k' }, { costNanos: spentUsd * 1e9, sessions: 3 }, DEFAULT_THRESHOLDS);

describe('evaluate', () => {
  it('works out spend, remaining, utilization, level and action', () => {
    // $80 of $100: 80% is past WARNING (75) and short of CRITICAL (90).
    const s = status(100, 80);
    expect(s).toEqual(expect.objectContaining({ spentNanos: 80e9, remainingNanos: 20e9, utilizationPct: 80, level: 'WARNING', threshold: 75, sessionCount: 3 }));
    expect(s.recommendedAction).toContain('slow down');
    // Over the budget: remaining goes negative, the level is HARD_STOP.
    expect(status(100, 130)).toEqual(expect.objectContaining({ remainingNanos: -30e9, utilizationPct: 130, level: 'HARD_STOP' }));
  });

  it('treats a zero budget as stopped once anything is spent', () => {
    expect(status(0, 0).level).toBe('OK');
    expect(status(0, 1).level).toBe('HARD_STOP');
  });

  it('picks the most severe status, then the most used', () => {
    const list = [status(100, 10, 1), status(100, 95, 2), status(50, 46, 3), status(200, 120, 4)];
    // 95% and 92% are both CRITICAL: the higher utilization wins.
    expect(mostSevere(list)?.budget.id).toBe(2);
    expect(mostSevere([...list, status(10, 10, 5)])?.budget.id).toBe(5);
    expect(mostSevere([])).toBeUndefined();
  });
});
