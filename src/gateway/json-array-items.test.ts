import { describe, expect, it } from 'vitest';
import { JsonArrayItems } from './json-array-items.js';

function items(text: string, cuts: number[], max?: number): unknown[] {
  const bytes = Buffer.from(text);
  const splitter = new JsonArrayItems(max);
  const out: unknown[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.push(bytes.subarray(from, cut), (item) => out.push(item));
    from = cut;
  }
  return out;
}

describe('JsonArrayItems', () => {
  const text = '[{"a":"]}\\"{é","n":[1,{"x":2}]}\n,\r\n{"b":1}\n]';

  it('yields each item as it completes, brackets and escapes inside strings notwithstanding', () => {
    const expected = [{ a: ']}"{é', n: [1, { x: 2 }] }, { b: 1 }];
    expect(items(text, [])).toEqual(expected);
    const length = Buffer.byteLength(text);
    for (let i = 1; i < length; i++) expect(items(text, [i])).toEqual(expected);
  });

  it('skips an item over the bound and reads nothing from what is not an array', () => {
    expect(items('[{"big":"xxxxxxxxxxxxxxxxxxxx"},{"ok":1}]', [5, 12], 16)).toEqual([undefined, { ok: 1 }]);
    expect(items('{"a":[{"b":1}]}', [])).toEqual([]);
    expect(items('[{"a":1},{bad}]', [])).toEqual([{ a: 1 }, undefined]);
  });
});
