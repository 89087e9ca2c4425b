import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented token equals the expected one, compared in constant time (by digest, so
 * lengths do not show either). No expected token: nothing matches.
 */
export function sameSecret(presented: string | undefined, expected: string | undefined): boolean {
  if (presented === undefined || expected === undefined) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
