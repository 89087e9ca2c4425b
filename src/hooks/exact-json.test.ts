import { describe, expect, it } from 'vitest';
import { parseExactJson } from './exact-json.js';

describe('parseExactJson', () => {
  it('writes back numbers a double cannot hold exactly as the text they were read as', () => {
    const text = '{"big": 12345678901234567890, "neg": -98765432109876543210, "one": 1.0, "exp": 1e400, "tiny": 0.10000000000000001, "list": [9007199254740993, 2]}';
    const json = parseExactJson(text);
    expect(JSON.parse(json.stringify(json.value))).toMatchObject({ list: [expect.any(Number), 2] });
    for (const token of ['12345678901234567890', '-98765432109876543210', '1.0', '1e400', '0.10000000000000001', '9007199254740993']) {
      expect(json.stringify(json.value)).toContain(token);
    }
  });

  it('keeps held numbers through an edited copy, and leaves digits inside strings alone', () => {
    const json = parseExactJson('{"id": 12345678901234567890, "note": "12345678901234567890 \\" 1.0", "n": 3}');
    const edited = { ...structuredClone(json.value as Record<string, unknown>), added: true };
    expect(json.stringify(edited)).toBe('{\n  "id": 12345678901234567890,\n  "note": "12345678901234567890 \\" 1.0",\n  "n": 3,\n  "added": true\n}');
  });

  it('does not take a string the file holds for one of its placeholders', () => {
    const json = parseExactJson('{"a": "\\u0000tokenledger-number-x-0", "b": 1.50}');
    expect(JSON.parse(json.stringify(json.value))).toEqual({ a: '\u0000tokenledger-number-x-0', b: 1.5 });
    expect(json.stringify(json.value)).toContain('"b": 1.50');
  });

  it('still reports text that is not JSON', () => {
    expect(() => parseExactJson('{"a": 01}')).toThrow(SyntaxError);
    expect(() => parseExactJson('{"a": }')).toThrow(SyntaxError);
  });
});
