/**
 * What of a URL may be shown. Webhook URLs carry their secret in the userinfo (`user:password@`) or
 * in the query string (`?token=…`): both are replaced by `***`, while the scheme, host and path stay
 * readable so the user can still tell which address failed.
 *
 * The text is scanned rather than parsed as one URL, so the same function serves a bare URL, an
 * HTTP client's error message that quotes one, and a URL too broken to parse.
 */

/** `scheme://` and what follows up to white space or a quote: how URLs appear inside messages. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*/gi;

/** Every URL in `text`, userinfo and query (and fragment) replaced by `***`; other text unchanged. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, redactOne);
}

function redactOne(url: string): string {
  const schemeEnd = url.indexOf('://') + 3;
  const rest = url.slice(schemeEnd);
  // The authority ends at the first `/`, `?` or `#`; userinfo is what comes before its last `@`.
  const authorityEnd = firstOf(rest, ['/', '?', '#']);
  const authority = rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `***@${authority.slice(at + 1)}`;
  const tail = rest.slice(authorityEnd);
  const queryAt = firstOf(tail, ['?', '#']);
  const path = tail.slice(0, queryAt);
  const hidden = queryAt < tail.length ? `${tail[queryAt]}***` : '';
  return `${url.slice(0, schemeEnd)}${host}${path}${hidden}`;
}

function firstOf(text: string, marks: readonly string[]): number {
  let first = text.length;
  for (const mark of marks) {
    const at = text.indexOf(mark);
    if (at !== -1 && at < first) first = at;
  }
  return first;
}
