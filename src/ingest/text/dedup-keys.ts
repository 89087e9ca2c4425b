import { sha256 } from '../event-key.js';
import type { UsageLine } from './read-lines.js';

/** 16 hex digits of SHA-256: names contents without ever mistaking two for one in practice. */
export function contentHash(text: string): string {
  return sha256(text, 16);
}

/**
 * Keys of usage lines read from one text: `<agent>:<session>:<hash of the line>:<n>`, where n counts
 * earlier lines of the same text in it. Feeding the same text again gives the same keys (nothing
 * counted twice); two identical lines in it are two requests. A longer copy of the same output
 * under the same session keeps the keys of the lines it shares.
 */
export function textDedupKeys(agent: string, sessionId: string, usages: readonly UsageLine[]): string[] {
  const seen = new Map<string, number>();
  return usages.map((u) => {
    const hash = contentHash(u.text.trim());
    const n = seen.get(hash) ?? 0;
    seen.set(hash, n + 1);
    return `${agent}:${sessionId}:${hash}:${n}`;
  });
}
