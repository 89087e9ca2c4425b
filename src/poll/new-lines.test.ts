import { describe, expect, it } from 'vitest';
import { newLines, type PreviousCapture } from './new-lines.js';

const seen = (lines: string[], historySize = 0): PreviousCapture => ({ tail: lines.slice(-400), count: lines.length, historySize });

describe('newLines', () => {
  it('takes every line of a first capture', () => {
    expect(newLines(undefined, ['a', 'b'], 0, 2000)).toEqual(['a', 'b']);
  });

  it('takes the lines after the previous ones while the history is whole, repeats included', () => {
    const before = ['$ cat f', 'T1'];
    expect(newLines(seen(before), ['$ cat f', 'T1', '$ cat f', 'T1'], 0, 2000)).toEqual(['$ cat f', 'T1']);
    expect(newLines(seen(before), ['$ cat f', 'T1'], 0, 2000)).toEqual([]);
  });

  it('finds the previous tail after the history was trimmed (scrolled past its limit)', () => {
    const before = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    const now = [...before.slice(20), 'new 1', 'new 2'];
    expect(newLines(seen(before, 2000), now, 2000, 2000)).toEqual(['new 1', 'new 2']);
  });

  it('tells a repeated block from the first when older lines differ', () => {
    const before = ['start', '$ cat f', 'T1'];
    const now = ['start', '$ cat f', 'T1', '$ cat f', 'T1'];
    expect(newLines(seen(before, 10), now, 0, 2000)).toEqual(['$ cat f', 'T1']);
  });

  it('does not count redrawn lines of the previous capture again', () => {
    const before = ['a', 'b', 'c', 'status 1', 'usage X'];
    const now = ['a', 'b', 'c', 'status 2', 'usage X', 'usage Y'];
    expect(newLines(seen(before, 5), now, 0, 2000)).toEqual(['status 2', 'usage Y']);
  });

  it('takes everything when nothing of the previous capture is left', () => {
    expect(newLines(seen(['x', 'y', 'z'], 3), ['p', 'q'], 0, 2000)).toEqual(['p', 'q']);
  });
});
