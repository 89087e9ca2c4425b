import type { PartialSuccess } from './otlp-response.js';

/** How many distinct reasons (or senders) one reply names before it says "and N more". */
const NAMED = 3;

/**
 * The `partialSuccess` of a request: the agents' records that were rejected (by agent and
 * reason) and the records of agents tokenledger does not read (by sender), counted; undefined
 * when there are none. `unit` names what was counted (`record`, `data point`).
 */
export function partialMessage(unit: string, rejected: ReadonlyMap<string, number>, unknown: ReadonlyMap<string, number>): PartialSuccess | undefined {
  const rejectedCount = sum(rejected);
  const unknownCount = sum(unknown);
  if (rejectedCount + unknownCount === 0) return undefined;
  const parts: string[] = [];
  if (rejectedCount > 0) parts.push(`${counted(rejectedCount, unit)} rejected (${named(rejected)})`);
  if (unknownCount > 0) parts.push(`${counted(unknownCount, unit)} of an agent tokenledger does not read (${named(unknown)})`);
  return { rejected: rejectedCount + unknownCount, message: parts.join('; ') };
}

function sum(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

function counted(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The most frequent keys with their counts, the rest summed up. */
function named(counts: ReadonlyMap<string, number>): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, NAMED).map(([key, n]) => (counts.size === 1 ? key : `${key}: ${n}`));
  const rest = sorted.length - NAMED;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
