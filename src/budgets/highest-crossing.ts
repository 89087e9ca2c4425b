import { severity, type Level } from './ladder.js';

/**
 * Of the levels one commit crossed for one budget (INFO, WARNING, CRITICAL and HARD_STOP at once),
 * the one to announce: the highest. `commitOf` names the commit a crossing came from; crossings
 * of different commits are all kept, in their order.
 */
export function highestPerCommit<T>(crossings: readonly T[], commitOf: (crossing: T) => string, levelOf: (crossing: T) => Level): T[] {
  const highest = new Map<string, T>();
  for (const crossing of crossings) {
    const key = commitOf(crossing);
    const kept = highest.get(key);
    if (kept === undefined || severity(levelOf(crossing)) > severity(levelOf(kept))) highest.set(key, crossing);
  }
  const announced = new Set(highest.values());
  return crossings.filter((crossing) => announced.has(crossing));
}
