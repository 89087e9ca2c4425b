import { MAX_TOKENS_PER_FIELD } from '../core/event-bounds.js';

/**
 * A token count an upstream reported, bounded where it enters: a number is rounded and kept within
 * 0..10^9 (the per-field bound every event shares, `core/event-bounds.ts`); anything else (absent,
 * null, text, NaN) is 0. An upstream that reports an absurd figure is metered at the bound, never
 * beyond it, and never makes the gateway throw.
 */
export function tokenCount(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0)) return 0;
  return value >= MAX_TOKENS_PER_FIELD ? MAX_TOKENS_PER_FIELD : Math.round(value);
}

/** A plain JSON object (not null, not an array), for reading members of untrusted JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string of at most 256 characters (ids, model names), else undefined. */
export function shortText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 256 ? value : undefined;
}

/** The JSON object a text holds (an SSE event's data), or undefined when it is not JSON or not an object. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
