import { describe, expect, it } from 'vitest';
import { headerJson } from './report-answer.js';

describe('notes in a header', () => {
  it('are JSON a header can carry: printable ASCII only, control and other characters escaped', () => {
    const notes = ['no price is known for <b>"x"</b>', 'line\r\nbreak', 'é ✓ \u2028'];
    const text = headerJson(notes);
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(text)).toEqual(notes);
    expect(() => new Headers({ 'x-tokenledger-notes': text })).not.toThrow();
  });
});
