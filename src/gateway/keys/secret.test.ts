import { describe, expect, it } from 'vitest';
import { hashSecret, isSecret, matchesHash, newSecret, secretPrefix } from './secret.js';

describe('gateway key secrets', () => {
  it('are tlk_ and 43 base64url characters, each new', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newSecret()));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^tlk_[A-Za-z0-9_-]{43}$/);
      expect(isSecret(secret)).toBe(true);
    }
    expect(isSecret('tlk_short')).toBe(false);
    expect(isSecret('sk-ant-api03-xyz')).toBe(false);
  });

  it('are stored as their SHA-256 and recognised by their first 8 characters', () => {
    const secret = newSecret();
    expect(hashSecret('tlk_abc')).toBe('263d00eaf6bf7f006b141bfdd38d30d3aebb3e5d65badf8968daee880830a5f7');
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).not.toContain(secret.slice(4));
    expect(secretPrefix(secret)).toBe(secret.slice(0, 8));
    expect(secretPrefix(secret).startsWith('tlk_')).toBe(true);
  });

  it('match only their own hash', () => {
    const secret = newSecret();
    const hash = hashSecret(secret);
    expect(matchesHash(secret, hash)).toBe(true);
    expect(matchesHash(newSecret(), hash)).toBe(false);
    expect(matchesHash(secret, hash.slice(0, 10))).toBe(false);
    expect(matchesHash(secret, '')).toBe(false);
  });
});
