import { describe, expect, it } from 'vitest';
import { terminalText } from './terminal-text.js';

describe('terminalText', () => {
  it('shows escape sequences, CR, TAB, NUL and line breaks escaped instead of passing them to the terminal', () => {
    expect(terminalText('a\u001b]0;pwned\u0007\u001b[31mred\rCR')).toBe('a\\x1b]0;pwned\\x07\\x1b[31mred\\x0dCR');
    expect(terminalText('tab\there\0nul\nline\u007f\u009b')).toBe('tab\\x09here\\x00nul\\x0aline\\x7f\\x9b');
  });

  it('shows bidi overrides, isolates and marks escaped, so no text is hidden or reordered', () => {
    expect(terminalText('gpt\u202eevil\u202c')).toBe('gpt\\u202eevil\\u202c');
    expect(terminalText('\u202a\u202b\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029')).toBe('\\u202a\\u202b\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\u2029');
  });

  it('leaves ordinary text, accents, wide characters and emoji alone', () => {
    for (const text of ['claude-sonnet-4-5', '/home/dév/プロジェクト', 'cost 💸 ok', '']) expect(terminalText(text)).toBe(text);
  });
});
