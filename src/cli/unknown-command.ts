import { badArgument, type TokenledgerError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known names closest to `word`: those within a third of the word's length in edits (at least
 * one), nearest first. Empty when nothing is close, so a far-off word gets no guess.
 */
export function closestNames(word: string, known: readonly string[]): string[] {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(lower.length / 3));
  const scored = known.map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) })).filter((s) => s.distance <= limit);
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).map((s) => s.name);
}

/**
 * The error for a first word that names no command. Without it the parser hands the word to the
 * default command, which then complains about an extra argument.
 */
export function unknownCommand(word: string, known: readonly string[]): TokenledgerError {
  const near = closestNames(word, known);
  const guess = near.length === 0 ? '' : ` (did you mean ${near.join(' or ')}?)`;
  return badArgument(`unknown command '${terminalText(word)}'${guess}`, 'run `tokenledger --help` for the list of commands');
}
