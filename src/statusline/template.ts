/**
 * The status line's `--format`: text with named fields in braces (`{model}`, `{today}`), and
 * optional parts in square brackets, shown only when every field in them has a value (`[ · ctx
 * {context}]`). A field without a value is empty. `{{`, `}}`, `[[` and `]]` write a brace or bracket.
 */
import { badArgument } from '../core/errors.js';

/** The line Claude Code shows when no `--format` is given. */
export const DEFAULT_FORMAT = '{model}[ · {session} session][ · {today} today][ · block {block}, {left} left][ · {burn}/h][ · ctx {context}][ · {limits}][ · {plan}]';

type Part = { literal: string } | { field: string } | { group: Part[] };

/** Parses a template against the known field names; a bad one is a BAD_ARGUMENT naming the fault. */
export function parseTemplate(template: string, fields: readonly string[]): Part[] {
  let i = 0;
  const parse = (inGroup: boolean): Part[] => {
    const parts: Part[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal !== '') parts.push({ literal });
      literal = '';
    };
    while (i < template.length) {
      const c = template[i] as string;
      const next = template[i + 1];
      if ((c === '{' || c === '}' || c === '[' || c === ']') && next === c) {
        literal += c;
        i += 2;
      } else if (c === '{') {
        const end = template.indexOf('}', i);
        const name = end === -1 ? '' : template.slice(i + 1, end);
        if (!fields.includes(name)) throw badArgument(`--format: unknown field {${name}} (fields: ${fields.map((f) => `{${f}}`).join(', ')})`);
        flush();
        parts.push({ field: name });
        i = end + 1;
      } else if (c === '[') {
        if (inGroup) throw badArgument('--format: an optional part [..] cannot hold another');
        flush();
        i += 1;
        parts.push({ group: parse(true) });
      } else if (c === ']') {
        if (!inGroup) throw badArgument('--format: a "]" closes no optional part (write "]]" for the character)');
        flush();
        i += 1;
        return parts;
      } else if (c === '}') {
        throw badArgument('--format: a "}" closes no field (write "}}" for the character)');
      } else {
        literal += c;
        i += 1;
      }
    }
    if (inGroup) throw badArgument('--format: an optional part "[" is not closed');
    flush();
    return parts;
  };
  return parse(false);
}

/** The line: each field's value (empty when missing); an optional part only when all its fields have one. */
export function renderTemplate(parts: readonly Part[], values: Readonly<Record<string, string>>): string {
  return parts
    .map((p) => {
      if ('literal' in p) return p.literal;
      if ('field' in p) return values[p.field] ?? '';
      const fields = p.group.filter((q): q is { field: string } => 'field' in q);
      return fields.every((f) => (values[f.field] ?? '') !== '') ? renderTemplate(p.group, values) : '';
    })
    .join('');
}
