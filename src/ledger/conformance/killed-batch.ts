import { emptyTokens } from '../../core/usage-event.js';
import type { FileBatch } from '../ledger.js';

export const KILLED_PATH = 'fixture://killed';
const EVENTS = 500;
const AT = Date.UTC(2025, 9, 10, 12);

/** The batch a writer is killed while committing (and a clean writer commits after): events, a rate-limit reading, a drop. */
export function killedBatch(priceVersionId: number): FileBatch {
  const cursor = (offset: number) => ({ path: KILLED_PATH, agent: 'claude-code', dev: 0, ino: 0, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: String(offset), state: null });
  return {
    from: undefined,
    to: cursor(EVENTS + 1),
    events: Array.from({ length: EVENTS }, (_, i) => ({
      ...emptyTokens(),
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      sessionId: `killed-${i % 7}`,
      project: '/home/dev/app',
      namespace: 'cost-tracking',
      occurredAt: AT + i * 60_000,
      dedupKey: `killed:${i}`,
      inputTokens: 100 + i,
      outputTokens: 10,
      costNanos: 1_000 + i,
      priceVersionId,
      unpriced: false,
    })),
    rateLimits: [{ agent: 'codex-cli', sessionId: 'killed-0', occurredAt: AT, windows: [{ name: 'primary', usedPercent: 50 }] }],
    drops: [{ path: KILLED_PATH, line: EVENTS + 1, reason: 'a line the killed writer could not read' }],
  };
}
