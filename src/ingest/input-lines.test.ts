import { describe, expect, it } from 'vitest';
import { inputLines, type InputLine } from './input-lines.js';

async function lines(chunks: (string | Uint8Array)[], max?: number): Promise<InputLine[]> {
  const out: InputLine[] = [];
  for await (const line of inputLines(chunks, max)) out.push(line);
  return out;
}

describe('inputLines', () => {
  it('splits across chunk borders, strips CR and a leading BOM, keeps a last line without a break', async () => {
    const euro = Buffer.from('€');
    expect(await lines(['\uFEFFa\r\nb', 'c\n', Buffer.from([0x78, euro[0] as number]), Buffer.from([euro[1] as number, euro[2] as number, 0x0a]), '\nlast'])).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'bc' },
      { number: 3, text: 'x€' },
      { number: 4, text: '' },
      { number: 5, text: 'last' },
    ]);
    expect(await lines([])).toEqual([]);
    expect(await lines(['a\n'])).toEqual([{ number: 1, text: 'a' }]);
  });

  it('reports a line longer than the limit and carries on after it', async () => {
    expect(await lines(['12345', '6789\nok\n', '123456789'], 8)).toEqual([
      { number: 1, tooLong: true },
      { number: 2, text: 'ok' },
      { number: 3, tooLong: true },
    ]);
    expect(await lines(['123456789\nok'], 8)).toEqual([
      { number: 1, tooLong: true },
      { number: 2, text: 'ok' },
    ]);
  });
});
