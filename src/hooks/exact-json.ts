import { randomBytes } from 'node:crypto';

/**
 * JSON read and written back without changing its numbers. `JSON.parse` turns every number into a
 * double, so `12345678901234567890` would come back as `12345678901234567000` and `1.0` as `1`: in a
 * settings file shared with other tools, keys we do not own must keep their exact text. Each number
 * whose text a double would not reproduce is held as a placeholder string while the document is
 * edited, and written back as the text it was read as.
 */
export interface ExactJson {
  value: unknown;
  /** `value` (or an edited copy of it) as 2-space JSON, with every held number as its original text. */
  stringify(value: unknown): string;
}

/** Parses `text` (which must be JSON: `JSON.parse` reports where it is not). */
export function parseExactJson(text: string): ExactJson {
  const held: string[] = [];
  // The nonce keeps a string the file happens to hold from being taken for a placeholder.
  const tag = `\u0000tokenledger-number-${randomBytes(6).toString('hex')}-`;
  let out = '';
  let last = 0;
  for (const { start, end } of numberTokens(text)) {
    const token = text.slice(start, end);
    if (JSON.stringify(Number(token)) === token) continue;
    out += `${text.slice(last, start)}${JSON.stringify(`${tag}${held.length}`)}`;
    held.push(token);
    last = end;
  }
  let value: unknown;
  try {
    value = JSON.parse(held.length === 0 ? text : out + text.slice(last));
  } catch (error) {
    // Reported as the file's own text fails, so that positions in the message are the file's.
    JSON.parse(text);
    throw error;
  }
  const placeholder = new RegExp(
    `${JSON.stringify(tag)
      .slice(0, -1)
      .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`,
    'g',
  );
  return {
    value,
    stringify: (edited) => {
      const json = JSON.stringify(edited, null, 2);
      return held.length === 0 ? json : json.replace(placeholder, (_, index: string) => held[Number(index)] as string);
    },
  };
}

/** Where the number tokens of a JSON text are (strings skipped, so digits inside them are not numbers). */
function* numberTokens(text: string): Generator<{ start: number; end: number }> {
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (match === null) continue; // not JSON; JSON.parse says where
    yield { start: i, end: i + match[0].length };
    i += match[0].length - 1;
  }
}
