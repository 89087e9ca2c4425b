/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Model names close to `name`, best first, at most `limit`: names starting with it, then names
 * containing it, then names a few edits away (typos); shorter names first within each group.
 */
export function suggestModels(name: string, known: Iterable<string>, limit = 5): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return [];
  const scored: { id: string; rank: number }[] = [];
  for (const id of new Set(known)) {
    const lower = id.toLowerCase();
    if (lower === wanted) continue;
    let rank: number | undefined;
    if (lower.startsWith(wanted)) rank = 0;
    else if (lower.includes(wanted)) rank = 1;
    else {
      const distance = editDistance(wanted, lower);
      if (distance <= Math.max(2, Math.floor(wanted.length / 4))) rank = 2 + distance;
    }
    if (rank !== undefined) scored.push({ id, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || a.id.length - b.id.length || (a.id < b.id ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.id);
}
