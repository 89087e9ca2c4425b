/** Project paths matching the names given: a full path matches itself, a name matches the last folder. */
export function matchProjects(names: readonly string[], known: readonly string[]): string[] {
  const matched = new Set<string>();
  const bare = (p: string): string => p.replace(/[/\\]+$/, '');
  for (const name of names) {
    const wanted = bare(name);
    for (const path of known) {
      const stored = bare(path);
      if (stored === wanted || stored.split(/[/\\]/).pop() === wanted) matched.add(path);
    }
  }
  return [...matched];
}
