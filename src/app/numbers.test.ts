import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { parseNumber } from './numbers.js';

describe('parseNumber', () => {
  it('words a strict lower bound as "greater than", never as the smallest double', () => {
    const message = thrown(() => parseNumber('-1', '--threshold', { above: 0 })).message;
    expect(message).toBe('--threshold expects a number greater than 0, got "-1"');
    expect(message).not.toContain('e-324');
    expect(thrown(() => parseNumber('0', '--threshold', { above: 0 })).code).toBe('BAD_ARGUMENT');
    expect(parseNumber('0.5', '--threshold', { above: 0 })).toBe(0.5);
  });

  it('words a range and an unbounded flag plainly', () => {
    expect(thrown(() => parseNumber('200', '--pct', { min: 0, max: 100 })).message).toBe('--pct expects a number from 0 to 100, got "200"');
    expect(thrown(() => parseNumber('x', '--pct', {})).message).toBe('--pct expects a number, got "x"');
    expect(parseNumber('-40', '--pct', {})).toBe(-40);
    expect(thrown(() => parseNumber('-1', '--usd')).message).toBe('--usd expects a number of at least 0, got "-1"');
  });
});
