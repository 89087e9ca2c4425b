import { describe, expect, it } from 'vitest';
import { markdownTable } from './markdown-table.js';

describe('markdownTable', () => {
  it('escapes pipes and turns line breaks into <br>', () => {
    expect(markdownTable(['A', 'B'], [['x|y', 'one\ntwo']], [false, true])).toBe('| A | B |\n| --- | ---: |\n| x\\|y | one<br>two |');
  });

  it('shows control characters and bidi overrides of cells escaped, never raw', () => {
    const out = markdownTable(['Model'], [['m\u001b[5mblink\r\t\u2066x']]);
    expect(out).toBe('| Model |\n| --- |\n| m\\x1b[5mblink\\x0d\\x09\\u2066x |');
  });
});
