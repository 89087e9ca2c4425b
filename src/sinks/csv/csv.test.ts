import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvLine, plainNumber } from './csv.js';

/** A strict RFC 4180 reader (CRLF records), written here to read back what the writer wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  if (record.length > 0) throw new Error('last record has no line end');
  return records;
}

const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '@SUM(A1)',
  '-2+3',
  '\t=1+1',
  '\r=1+1',
  "=cmd|' /C calc'!A0",
  '/home/dev/"quoted", with comma',
  'two\nlines',
  'cr\r\nlf',
  '',
  '  =spaced',
  "'already quoted",
];

describe('csvField', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvField('claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
    expect(csvField('/home/dev/app')).toBe('/home/dev/app');
    expect(csvField(1234567)).toBe('1234567');
    expect(csvField(0.001234567)).toBe('0.001234567');
    expect(csvField('')).toBe('');
  });

  it('quotes fields with a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('tab\there')).toBe('tab\there');
  });

  it('prefixes text that a spreadsheet would run as a formula with a single quote', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    // Only the first character matters: these are safe as they are.
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(' =1')).toBe(' =1');
  });

  it('never prefixes a number, negative ones included', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(-0)).toBe('0');
  });

  it('rejects a number that is not finite', () => {
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('plainNumber', () => {
  it('writes out the exponents JavaScript would use', () => {
    expect(plainNumber(1e-9)).toBe('0.000000001');
    expect(plainNumber(1.5e-7)).toBe('0.00000015');
    expect(plainNumber(-1.23e-8)).toBe('-0.0000000123');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(1.5e22)).toBe('15000000000000000000000');
    expect(plainNumber(123.456)).toBe('123.456');
    expect(plainNumber(0)).toBe('0');
  });

  it('keeps every digit of a nano-USD amount in dollars', () => {
    for (const nanos of [1, 7, 123, 1_000_001, 987_654_321, 123_456_789_012]) {
      const usd = plainNumber(nanos / 1e9);
      expect(Math.round(Number(usd) * 1e9)).toBe(nanos);
      expect(usd).not.toContain('e');
    }
  });
});

describe('csvLine and csvDocument', () => {
  it('joins fields with commas and ends every record, the last included, with CRLF', () => {
    expect(csvLine(['a', 1, 'b,c'])).toBe('a,1,"b,c"');
    expect(
      csvDocument(
        ['name', 'n'],
        [
          ['x', 1],
          ['y', -2],
        ],
      ),
    ).toBe('name,n\r\nx,1\r\ny,-2\r\n');
  });

  it('writes the header alone for no rows', () => {
    expect(csvDocument(['date', 'cost_usd'], [])).toBe('date,cost_usd\r\n');
  });

  it('reads back as the same cells, hostile text only gaining its leading quote', () => {
    const rows = HOSTILE.map((text, i) => [text, -i - 1, i / 7]);
    const parsed = parseCsv(csvDocument(['text', 'negative', 'fraction'], rows));
    expect(parsed[0]).toEqual(['text', 'negative', 'fraction']);
    expect(parsed).toHaveLength(HOSTILE.length + 1);
    HOSTILE.forEach((text, i) => {
      const [cell, negative, fraction] = parsed[i + 1] as [string, string, string];
      expect(cell).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
      expect(Number(negative)).toBe(-i - 1);
      expect(Number(fraction)).toBe(i / 7);
    });
  });

  it('leaves no text cell that begins like a formula', () => {
    const parsed = parseCsv(
      csvDocument(
        ['h'],
        HOSTILE.map((t) => [t]),
      ),
    );
    for (const [cell] of parsed) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
