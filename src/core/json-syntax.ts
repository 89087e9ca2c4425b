import { terminalText } from './terminal-text.js';

/** Where a JSON text first breaks, and why. */
export interface JsonBreak {
  /** Index in the text (UTF-16 units) of the first character that cannot be JSON there. */
  offset: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/**
 * Finds where `text` stops being JSON (RFC 8259), or undefined when it is JSON. Iterative, so a
 * deeply nested text cannot exhaust the stack. Used to explain a failed `JSON.parse` with a place
 * and a reason that do not depend on the engine's wording.
 */
export function findJsonBreak(text: string): JsonBreak | undefined {
  let i = 0;
  const at = (reason: string): JsonBreak => ({ offset: i, reason });
  const shown = (c: string | undefined): string => (c === undefined ? 'the end of the text' : terminalText(`'${c}'`));
  const space = (): void => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const string = (): JsonBreak | undefined => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) return at("the text ends inside a string (missing '\"')");
      if (c === '"') return void i++;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== undefined && ESCAPES.includes(next)) i += 2;
        else return at(`bad escape ${shown(`\\${next ?? ''}`)} in a string`);
      } else if (c.charCodeAt(0) < 0x20) {
        return at(`${c === '\n' ? 'a line break' : 'a control character'} inside a string (missing '"'?)`);
      } else i++;
    }
  };
  const key = (): JsonBreak | undefined => {
    space();
    if (text[i] !== '"') return at(`expected a property name in double quotes, found ${shown(text[i])}`);
    const broken = string();
    if (broken !== undefined) return broken;
    space();
    if (text[i] !== ':') return at(`expected ':' after the property name, found ${shown(text[i])}`);
    i++;
    return undefined;
  };
  const scalar = (): JsonBreak | undefined => {
    const c = text[i];
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    const number = c === '-' || (c !== undefined && c >= '0' && c <= '9') ? NUMBER.exec(text) : null;
    if (number !== null) return void (i += number[0].length);
    return at(c === undefined ? 'the text ends where a value should be' : `expected a value, found ${shown(c)}`);
  };

  const open: ('{' | '[')[] = [];
  let wantValue = true;
  for (;;) {
    space();
    const c = text[i];
    if (wantValue) {
      if (c === '{' || c === '[') {
        i++;
        space();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          wantValue = false;
          continue;
        }
        open.push(c);
        const broken = c === '{' ? key() : undefined;
        if (broken !== undefined) return broken;
        continue;
      }
      const broken = scalar();
      if (broken !== undefined) return broken;
      wantValue = false;
      continue;
    }
    const top = open[open.length - 1];
    if (top === undefined) return c === undefined ? undefined : at(`unexpected ${shown(c)} after the end of the JSON value`);
    const close = top === '{' ? '}' : ']';
    if (c === close) {
      i++;
      open.pop();
    } else if (c === ',') {
      i++;
      const broken = top === '{' ? key() : undefined;
      if (broken !== undefined) return broken;
      wantValue = true;
    } else {
      return at(c === undefined ? `the text ends inside ${top === '{' ? 'an object' : 'an array'} (missing '${close}')` : `expected ',' or '${close}', found ${shown(c)}`);
    }
  }
}
