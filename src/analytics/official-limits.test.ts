import { describe, expect, it } from 'vitest';
import { officialLimits, windowLabel } from './official-limits.js';

const H = 3_600_000;
const M = 60_000;

describe('official limits', () => {
  const now = Date.UTC(2025, 9, 10, 12);
  it('labels windows by length and says whether they still hold', () => {
    const limits = officialLimits(
      [
        {
          agent: 'codex-cli',
          sessionId: 's',
          occurredAt: now - 10 * M,
          planType: 'pro',
          windows: [
            { name: 'primary', usedPercent: 42, windowMinutes: 300, resetsAt: now + 2 * H },
            { name: 'secondary', usedPercent: 12, windowMinutes: 10_080, resetsAt: now + 3 * 24 * H },
          ],
        },
        { agent: 'other', sessionId: 's', occurredAt: now - 6 * H, windows: [{ name: 'primary', usedPercent: 99, windowMinutes: 300 }] },
      ],
      now,
    );
    expect(limits[0]?.windows.map((w) => [w.label, w.usedPercent, w.current])).toEqual([
      ['5-hour', 42, true],
      ['weekly', 12, true],
    ]);
    expect(limits[0]?.planType).toBe('pro');
    // Six hours after a reading of a 5-hour window without a reset time, the window has passed.
    expect(limits[1]?.windows[0]?.current).toBe(false);
  });

  it('names other lengths plainly', () => {
    expect([windowLabel('primary', 60), windowLabel('x', 3 * 1440), windowLabel('x', 90), windowLabel('tertiary', undefined)]).toEqual(['1-hour', '3-day', '90-minute', 'tertiary']);
    expect([windowLabel('primary', 299), windowLabel('secondary', 10_079), windowLabel('x', 2)]).toEqual(['5-hour', 'weekly', '2-minute']);
  });
});
