import type { Operation } from './provider.js';

/** One route of a provider: a method, a path pattern, and the operation a matching path is. */
export interface RouteEntry {
  method: string;
  /** Matched against the whole path (no query). */
  path: RegExp;
  /** The operation; undefined refuses the path after all (a model name that does not decode). */
  operation(match: RegExpExecArray): Operation | undefined;
}

/** A `.` or `..` segment (plain or percent-encoded), an encoded slash or a backslash: never a route. */
const UNSAFE = /(^|\/)(\.|%2e){1,2}(\/|$)|%2f|%5c|\\/i;

/**
 * A provider's `route` from its list of routes: the first entry whose method and pattern match.
 * A query string, if the caller left one on the path, is not part of the match. A path that could
 * resolve upstream to another path than it names is no route, whatever the patterns say.
 */
export function routeTable(entries: readonly RouteEntry[]): (method: string, path: string) => Operation | undefined {
  return (method, path) => {
    const query = path.indexOf('?');
    const bare = query === -1 ? path : path.slice(0, query);
    if (UNSAFE.test(bare)) return undefined;
    const upper = method.toUpperCase();
    for (const entry of entries) {
      if (entry.method !== upper) continue;
      const match = entry.path.exec(bare);
      if (match !== null) return entry.operation(match);
    }
    return undefined;
  };
}

/** A passthrough operation: forwarded as is, never metered. */
export function passthrough(name: string, upstreamPath: string): Operation {
  return { name, upstreamPath };
}

/** The credential of an `Authorization: Bearer …` header, if it holds one. */
export function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(value);
  return match === null ? undefined : match[1];
}

/** The first value of a header, when it is a non-empty string. */
export function headerValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? undefined : value;
}
