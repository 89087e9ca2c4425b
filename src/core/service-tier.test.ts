import { describe, expect, it } from 'vitest';
import { serviceTierOf } from './service-tier.js';

describe('serviceTierOf', () => {
  it('treats the standard values providers log as no tier at all', () => {
    for (const standard of ['standard', 'default', 'auto', 'Standard ', '']) expect(serviceTierOf(standard)).toBeUndefined();
    expect(serviceTierOf(undefined, null, 42)).toBeUndefined();
  });

  it('takes the first non-standard value: Claude speed "fast" wins over service_tier "standard"', () => {
    expect(serviceTierOf('fast', 'standard')).toBe('fast');
    expect(serviceTierOf(undefined, 'priority')).toBe('priority');
    expect(serviceTierOf('standard', 'FLEX')).toBe('flex');
  });

  it('keeps a value that is not a plain short word as "other", never raw', () => {
    expect(serviceTierOf('\u001b[31mred')).toBe('other');
    expect(serviceTierOf('x'.repeat(40))).toBe('other');
  });
});
