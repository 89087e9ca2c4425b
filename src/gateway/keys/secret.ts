import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Gateway key secrets: `tlk_` and 43 characters of base64url (32 random bytes). The ledger keeps
 * only their SHA-256 (`hashSecret`) and their first characters (`secretPrefix`); a presented secret
 * is checked against the hash in constant time.
 */

export const SECRET_PREFIX = 'tlk_';
/** Characters of a secret shown in lists: the prefix and four more, never enough to use it. */
export const SHOWN_CHARS = 8;

const SECRET = /^tlk_[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether `text` has the shape of a secret (anything else is refused before hashing). */
export function isSecret(text: string): boolean {
  return SECRET.test(text);
}

/** SHA-256 of the secret, hex: what the ledger stores. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The secret's first characters (`tlk_AbCd`), to recognise it in lists. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, SHOWN_CHARS);
}

/** Whether `secret` is the one `hash` was made from, compared in constant time. */
export function matchesHash(secret: string, hash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  // A stored hash of another length (a damaged row) never matches.
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored);
}
