import type { Random } from './random.js';

const WORDS = [
  'const',
  'function',
  'return',
  'import',
  'export',
  'await',
  'async',
  'interface',
  'type',
  'if',
  'else',
  'for',
  'ledger',
  'session',
  'token',
  'usage',
  'price',
  'model',
  'config',
  'error',
  'result',
  'value',
  'index',
  'path',
  'test',
  'expect',
  'describe',
  'src',
  'file',
  'line',
  'buffer',
  'stream',
  'event',
  'write',
  'read',
  'parse',
  'the',
  'a',
  'of',
  'to',
  'and',
  'in',
  'is',
  'it',
  'that',
  'this',
  'with',
  'on',
  'as',
  'by',
  'from',
  'not',
  '{',
  '}',
  '(',
  ')',
  '=>',
  '=',
  ';',
  ':',
  '.',
  ',',
  '"text"',
  "'quoted'",
  '// comment',
  '\\n',
  '\t',
  '<div>',
  '</div>',
];
/** The words JSON writes without a backslash (no quote, backslash or tab). */
const PLAIN_WORDS = WORDS.filter((w) => !/["\\\t]/.test(w));

/**
 * How the text reads once written as JSON: `escaped` is full of escapes (newlines, tabs, quotes:
 * source code and shell output); `plain` has none at all (prose, single-line tool output).
 */
export type TextKind = 'escaped' | 'plain';

/**
 * A pool of code-and-prose-like text, cut into pieces for tool outputs and replies. Built once,
 * so writing hundreds of megabytes of sample logs costs string slicing, not word generation.
 */
export class TextPool {
  readonly #pool: string;

  constructor(random: Random, size = 1 << 20, kind: TextKind = 'escaped') {
    const words = kind === 'escaped' ? WORDS : PLAIN_WORDS;
    const parts: string[] = [];
    let length = 0;
    while (length < size) {
      const word = random.pick(words);
      const sep = kind === 'escaped' && random.chance(0.08) ? '\n' : ' ';
      parts.push(word, sep);
      length += word.length + 1;
    }
    this.#pool = parts.join('');
  }

  /** About `length` characters of text starting at a random place. */
  take(random: Random, length: number): string {
    const n = Math.min(length, this.#pool.length - 1);
    const start = random.int(0, this.#pool.length - n - 1);
    return this.#pool.slice(start, start + n);
  }
}
