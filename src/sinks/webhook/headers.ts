import { TokenledgerError } from '../../core/errors.js';

/** RFC 9110 `token`: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Where entries split: a comma whose following text reaches a colon before any other comma, i.e. a
 * comma that starts something shaped like `Name:`. Any other comma belongs to the value, so
 * `Accept: a, b` and `Authorization: Bearer a,b` keep theirs. The price: a value cannot hold
 * `, word:` (it would split there), and stray text after a comma with no colon joins the value
 * before it. Both are rare in a webhook's few headers; an entry that splits badly is still checked.
 */
const ENTRY_SEPARATOR = /,(?=[^,:]*:)/;

/**
 * Headers that `fetch` sets from the request itself or refuses outright ("invalid keep-alive header");
 * given by hand they could only fail every attempt or be silently dropped.
 */
const MANAGED = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'te', 'trailer']);

/**
 * The extra headers of `EXPORT_WEBHOOK_HEADER='Authorization: Bearer x, X-Team: infra'`. Names and
 * values are trimmed; an empty or absent variable gives no headers. A malformed entry is an error,
 * never skipped: a webhook posted without its Authorization header fails later and less clearly.
 * Error messages show at most the start of an entry, because entries usually carry secrets.
 */
export function parseWebhookHeaders(text: string | undefined, variable = 'EXPORT_WEBHOOK_HEADER'): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return headers;
  const seen = new Set<string>();
  text.split(ENTRY_SEPARATOR).forEach((raw, index) => {
    const entry = raw.trim();
    const where = `entry ${index + 1} of ${variable}`;
    const colon = entry.indexOf(':');
    if (colon === -1) throw bad(`${where} (${preview(entry)}) is not "Name: value"`, variable);
    const name = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim();
    if (!TOKEN.test(name)) throw bad(`${where} has an invalid header name ${JSON.stringify(name)}`, variable);
    const lower = name.toLowerCase();
    if (MANAGED.has(lower)) throw bad(`${where}: ${name} is set by the HTTP client and cannot be given`, variable);
    if (seen.has(lower)) throw bad(`${where}: header ${name} is given twice`, variable);
    // Line breaks would split the request (header injection); fetch would reject them mid-retry anyway.
    if (/[\r\n\0]/.test(value)) throw bad(`${where}: the value of ${name} contains a line break or NUL`, variable);
    // What fetch would refuse mid-export (a value beyond Latin-1) is refused now; the value is not shown.
    try {
      new Headers().set(name, value);
    } catch {
      throw bad(`${where}: the value of ${name} cannot be sent in an HTTP header (it must be Latin-1 text)`, variable);
    }
    seen.add(lower);
    headers[name] = value;
  });
  return headers;
}

function bad(message: string, variable: string): TokenledgerError {
  return new TokenledgerError('BAD_ARGUMENT', message, {
    hint: `Write ${variable} as 'Name: value, Other-Name: value'.`,
  });
}

/** Enough of an entry to find it, not enough to leak the token it may hold. */
function preview(entry: string): string {
  if (entry === '') return 'empty';
  return JSON.stringify(entry.length <= 6 ? entry : `${entry.slice(0, 6)}…`);
}
