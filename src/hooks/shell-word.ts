/** A word as a POSIX shell reads it: as is when plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A command line of words, each quoted as needed. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
