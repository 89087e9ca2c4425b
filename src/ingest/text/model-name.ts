/**
 * A model name as CLIs print it beside their usage: `(gpt-4o)`, `[MiniMax-M2]`, `model: x` or
 * `model=x`. To tell it from a word in parentheses, a name starts with a letter, holds only
 * letters, digits and `. _ : / -`, and has a digit or a dash (`gpt-4o`, `o3`, `MiniMax-M2`).
 */
const WRAPPED = /\(\s*([^()\s]+)\s*\)|\[\s*([^[\]\s]+)\s*\]|\bmodel\s*["']?\s*[:=]\s*["']?([^\s"',;()[\]{}]+)["']?/gi;
const NAME = /^[A-Za-z][A-Za-z0-9._:/-]*$/;

export function isModelName(text: string): boolean {
  return NAME.test(text) && /[\d-]/.test(text);
}

/** The first model name in `text`, and the text without it (so its words are not read as labels). */
export function takeModel(text: string): { model: string | undefined; rest: string } {
  for (const match of text.matchAll(WRAPPED)) {
    const name = match[1] ?? match[2] ?? match[3] ?? '';
    if (isModelName(name)) {
      const at = match.index ?? 0;
      return { model: name, rest: `${text.slice(0, at)} ${text.slice(at + match[0].length)}` };
    }
  }
  return { model: undefined, rest: text };
}
