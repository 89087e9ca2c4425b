import { describe, expect, it } from 'vitest';
import { jsonErrorPlace } from './json-error-place.js';
import { findJsonBreak } from './json-syntax.js';

describe('where a JSON text breaks', () => {
  it('agrees with JSON.parse on what is JSON', () => {
    const samples = [
      '{}',
      '[]',
      ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ',
      '"s"',
      '0',
      '{"a":{"b":[]}}',
      '',
      '{',
      '{"a": 1,}',
      '[1,]',
      '{"a" 1}',
      '{a: 1}',
      '01',
      '1.',
      '-',
      '"\\q"',
      '"a\nb"',
      '{"a": 1} x',
      'tru',
      '[1 2]',
      '{"a": "b}',
    ];
    for (const text of samples) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonBreak(text) === undefined, text).toBe(parses);
    }
  });

  it('names line and column from 1, the reason, and shows the line with a caret under the column', () => {
    const place = jsonErrorPlace('{\n  "timezone": "UTC",\n  "namespace": "x",\n}\n');
    expect(place).toMatchObject({ line: 4, column: 1, reason: "expected a property name in double quotes, found '}'" });
    expect(place?.excerpt).toBe('4 | }\n  | ^');
    const colon = jsonErrorPlace('{\n  "prices" {}\n}');
    expect(colon).toMatchObject({ line: 2, column: 12, reason: "expected ':' after the property name, found '{'" });
    expect(colon?.excerpt).toBe('2 |   "prices" {}\n  |            ^');
    expect(jsonErrorPlace('{"a": 1')).toMatchObject({ line: 1, column: 8, reason: "the text ends inside an object (missing '}')" });
  });

  it('cuts a long line around the column and escapes what a terminal would obey', () => {
    const text = `{"a": "${'x'.repeat(500)}", "b": ?, "c": "${'y'.repeat(500)}\u001b[2J"}`;
    const place = jsonErrorPlace(text)!;
    expect(place.column).toBe(text.indexOf('?') + 1);
    const [shown, caret] = place.excerpt.split('\n') as [string, string];
    expect(shown.length).toBeLessThan(90);
    expect(shown).toMatch(/^1 \| …x+", "b": \?, "c": "y+…$/);
    expect(shown[caret.indexOf('^')]).toBe('?');
    const escaped = jsonErrorPlace('{"a": "\u202e", "b": "\u001b[2J"}')!;
    expect(escaped.reason).toBe("a control character inside a string (missing '\"'?)");
    // eslint-disable-next-line no-control-regex
    expect(escaped.excerpt).not.toMatch(/[\u001b\u202e]/);
    const [line, under] = escaped.excerpt.split('\n') as [string, string];
    expect(line.slice(under.indexOf('^'))).toBe('\\x1b[2J"}');
  });

  it('hides the secret of a URL on the line shown', () => {
    const place = jsonErrorPlace('{"alerts": {"webhook": {"url": "https://user:s3cret@hooks.example.com/x?token=abc"}}},')!;
    expect(place.reason).toBe("unexpected ',' after the end of the JSON value");
    expect(place.excerpt).not.toContain('s3cret');
    expect(place.excerpt).not.toContain('abc');
  });

  it('survives nesting deeper than any stack', () => {
    expect(findJsonBreak('['.repeat(1_000_000))).toEqual({ offset: 1_000_000, reason: 'the text ends where a value should be' });
  });
});
