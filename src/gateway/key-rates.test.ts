import { describe, expect, it } from 'vitest';
import { AuthThrottle } from './auth-throttle.js';
import { KeyRates } from './key-rates.js';

const T = Date.UTC(2026, 2, 10, 12);

describe('key rates', () => {
  it('admits rpm requests in a sliding minute, then refuses until the minute has moved on', () => {
    const rates = new KeyRates();
    for (let i = 0; i < 3; i++) expect(rates.admit('alice', 3, undefined, T + i * 1000)).toBe('ok');
    expect(rates.admit('alice', 3, undefined, T + 30_000)).toBe('rpm');
    expect(rates.admit('bob', 3, undefined, T + 30_000)).toBe('ok');
    expect(rates.admit('alice', 3, undefined, T + 60_500)).toBe('ok');
  });

  it('refuses once the billed tokens of the last minute reach tpm', () => {
    const rates = new KeyRates();
    expect(rates.admit('alice', undefined, 1000, T)).toBe('ok');
    rates.used('alice', 1200, T + 100);
    expect(rates.admit('alice', undefined, 1000, T + 5_000)).toBe('tpm');
    expect(rates.admit('alice', undefined, 1000, T + 61_000)).toBe('ok');
  });

  it('a key without limits is never counted', () => {
    const rates = new KeyRates();
    for (let i = 0; i < 10_000; i++) expect(rates.admit('free', undefined, undefined, T)).toBe('ok');
  });
});

describe('failed authentication', () => {
  it('blocks an address after repeated failures for the rest of its window only', () => {
    const throttle = new AuthThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(throttle.blocked('10.0.0.1', T)).toBe(false);
      throttle.failed('10.0.0.1', T);
    }
    expect(throttle.blocked('10.0.0.1', T + 1000)).toBe(true);
    expect(throttle.blocked('10.0.0.2', T + 1000)).toBe(false);
    expect(throttle.blocked('10.0.0.1', T + 60_000)).toBe(false);
  });
});
