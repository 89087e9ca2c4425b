import { describe, expect, it } from 'vitest';
import { parseEventTime } from '../../ingest/event-time.js';
import { timestampOutOfBounds } from './timestamp.js';

const NOW = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

describe('timestampOutOfBounds', () => {
  it('refuses exactly the times ingest refuses: before 2000, or more than a day ahead of now', () => {
    const cases = [Date.UTC(1999, 11, 31, 23, 59, 59), Date.UTC(2000, 0, 1), NOW, NOW + DAY, NOW + DAY + 1, Date.UTC(9999, 11, 31)];
    for (const ms of cases) {
      const ingest = parseEventTime(new Date(ms).toISOString(), NOW);
      const source = timestampOutOfBounds(ms, NOW);
      expect(source === undefined ? { ms } : { problem: source.replace(/^timestamp /, '') }).toEqual(ingest);
    }
    expect(timestampOutOfBounds(Date.UTC(9999, 11, 31), NOW)).toBe('timestamp is more than a day in the future');
    expect(timestampOutOfBounds(0, NOW)).toBe('timestamp is before 2000-01-01');
  });
});
