import { createHash } from 'node:crypto';
import type { UsageEvent } from '../core/usage-event.js';
import type { UnkeyedEvent } from './normalized-event.js';

/**
 * Dedup keys of ingested events (the ledger alone decides duplicates by them):
 * - with an `id`: `ingest:<agent>:<id>`, whichever way the event arrives (a line or a drop file);
 * - a line without one: `ingest:<agent>:sha256:<digest of the event's content>`, so two identical
 *   events without ids count once;
 * - a drop-file event without one: `drop:<digest of the file's bytes>:<index in the file>`.
 */
export function idKey(agent: string, id: string): string {
  return `ingest:${agent}:${id}`;
}

export function contentKey(event: UnkeyedEvent): string {
  const canonical = JSON.stringify([
    event.agent,
    event.provider,
    event.model,
    event.sessionId,
    event.project,
    event.occurredAt,
    event.inputTokens,
    event.outputTokens,
    event.reasoningTokens,
    event.cacheReadTokens,
    event.cacheWrite5mTokens,
    event.cacheWrite1hTokens,
  ]);
  return `ingest:${event.agent}:sha256:${sha256(canonical)}`;
}

export function dropKey(fileDigest: string, index: number): string {
  return `drop:${fileDigest}:${index}`;
}

/** The first `hexDigits` hex digits of SHA-256 (32 by default: collisions are out of reach for any ledger). */
export function sha256(data: string | Buffer, hexDigits = 32): string {
  return createHash('sha256').update(data).digest('hex').slice(0, hexDigits);
}

export function withKey(event: UnkeyedEvent, dedupKey: string): UsageEvent {
  return { ...event, dedupKey };
}
