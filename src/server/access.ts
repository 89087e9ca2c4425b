import { badArgument } from '../core/errors.js';
import { isLoopback, type ListenAddress } from '../core/listen-address.js';
import { sameSecret } from '../core/same-secret.js';

/** Who may read and who may write. */
export interface Access {
  /** Needed to read (Bearer header or the `token` cookie); absent: reading is open (loopback only). */
  readToken: string | undefined;
  /** Needed to write (budgets), as a Bearer header; absent: writes are refused. */
  adminToken: string | undefined;
  /** The `token` cookie is sent over HTTPS only. */
  secureCookie: boolean;
}

/**
 * The access rules for an address: on loopback no token is needed to read (unless one is
 * given); any other address needs a read token. The admin token writes everywhere.
 */
export function accessFor(listen: ListenAddress, readToken: string | undefined, adminToken: string | undefined, tls: boolean): Access {
  if (readToken !== undefined && readToken.length < 16) throw badArgument('--token must be at least 16 characters long');
  if (readToken === undefined && !isLoopback(listen.host)) {
    throw badArgument(
      `serving on ${listen.host} needs a token to read: anyone who can reach the address would read the ledger`,
      'give --token (or set TOKENLEDGER_SERVE_TOKEN), or listen on 127.0.0.1',
    );
  }
  return { readToken, adminToken, secureCookie: tls };
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  return /^\s*bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/** The value of the `token` cookie. */
export function cookieToken(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === 'token') {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Whether a request may read: reading is open, or it carries the read token or the admin token (header or cookie). */
export function mayRead(access: Access, headers: Headers): boolean {
  if (access.readToken === undefined) return true;
  const presented = [bearerToken(headers.get('authorization')), cookieToken(headers.get('cookie'))];
  return presented.some((token) => sameSecret(token, access.readToken) || sameSecret(token, access.adminToken));
}

/** Whether a request may write: it carries the admin token in its Authorization header (never a cookie, so no other site can make a browser write). */
export function mayWrite(access: Access, headers: Headers): boolean {
  return sameSecret(bearerToken(headers.get('authorization')), access.adminToken);
}

/** The `Set-Cookie` value that keeps `token` for the pages of this server. */
export function tokenCookie(access: Access, token: string): string {
  return `token=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${access.secureCookie ? '; Secure' : ''}`;
}

/**
 * Whether the host a request was sent to (its URL's, from the Host header) names this machine: a
 * page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) is refused when
 * reading needs no token.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return isLoopback(host.replace(/^\[(.*)\]$/, '$1').toLowerCase());
}
